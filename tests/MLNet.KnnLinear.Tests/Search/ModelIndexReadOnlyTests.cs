using Microsoft.ML;
using MLNet.KnnLinear.ModelRunner;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Search;

/// <summary>
/// A fitted model's index is shared by every prediction engine and saved with the model, so it is read-only:
/// SetSearchSize on it is refused, and WithSearchSize gives a model (or an index) with its own search size, sharing
/// the rows, while the original keeps predicting as before.
/// </summary>
public sealed class ModelIndexReadOnlyTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KnnModel_IndexIsReadOnly_WithSearchSizeGivesAnotherModel(bool hnsw)
    {
        var ml = new MLContext(seed: 1);
        var train = SyntheticData.Keyed(ml, SyntheticData.Rows(600, 8, seed: 1), 8);
        var test = SyntheticData.Keyed(ml, SyntheticData.Rows(100, 8, seed: 2), 8);
        NeighborIndexOptions index = hnsw
            ? new HnswIndexOptions { MaxConnections = 4, ConstructionSearchSize = 8, SearchSize = 1 }
            : new IvfIndexOptions { NumberOfLists = 16, NumberOfProbes = 1 };
        var model = ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { Index = index }).Fit(train);
        var exact = ml.MulticlassClassification.Trainers.Knn().Fit(train);
        var before = Bits(model.Transform(test));

        model.Model.Index.IsReadOnly.Should().BeTrue();
        FluentActions.Invoking(() => model.Model.Index.SetSearchSize(16)).Should().Throw<InvalidOperationException>().WithMessage("*read-only*WithSearchSize*");

        var wide = model.WithSearchSize(hnsw ? 600 : 16);
        wide.Model.Index.IsReadOnly.Should().BeTrue("the new model's index is a model's index too");
        Bits(wide.Transform(test)).Should().BeEquivalentTo(Bits(exact.Transform(test)), o => o.WithStrictOrdering(),
            "searching every list (or efSearch = every row) finds the exact neighbours");
        Bits(model.Transform(test)).Should().BeEquivalentTo(before, o => o.WithStrictOrdering(), "the original model is left as it was");

        // The copy of a bare index can be tuned again; the model's own index still cannot.
        var copy = model.Model.Index.WithSearchSize(2);
        copy.IsReadOnly.Should().BeFalse();
        copy.SetSearchSize(3);
        copy.Count.Should().Be(model.Model.Index.Count);
    }

    [Fact]
    public void NearestNeighbors_IndexIsReadOnly_WithSearchSizeGivesAnotherStep()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(400, 8, seed: 3), 8);
        var step = ml.Transforms.FindNearestNeighbors(new NearestNeighborsEstimator.Options { NumberOfNeighbors = 3, Index = new IvfIndexOptions { NumberOfLists = 8, NumberOfProbes = 1 } }).Fit(data);

        FluentActions.Invoking(() => step.Index.SetSearchSize(8)).Should().Throw<InvalidOperationException>();
        var wide = step.WithSearchSize(8);
        wide.Index.IsReadOnly.Should().BeTrue();
        FluentActions.Invoking(() => step.WithSearchSize(9)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("probesOrEf");
    }

    private static List<byte[]> Bits(IDataView scored) => ColumnDump.Rows(scored, "Score", "PredictedLabel").Select(r => r.Bytes).ToList();
}
