using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Search;

/// <summary>
/// FindNearestNeighbors, the similarity-search step for unlabelled data: its columns equal the index's own search,
/// for every index kind; it saves and loads (index included) and works row by row in a PredictionEngine.
/// </summary>
public sealed class NearestNeighborsTransformTests
{
    public static TheoryData<string> Kinds => ["exact", "ivf", "hnsw"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Transform_EqualsIndexSearch_AndSurvivesSaveLoad(string kind)
    {
        var ml = new MLContext(seed: 1);
        var reference = SyntheticData.ToDataView(ml, SyntheticData.Rows(400, 12, seed: 1), 12);
        var queries = SyntheticData.ToDataView(ml, SyntheticData.Rows(60, 12, seed: 2), 12);
        NeighborIndexOptions index = kind switch
        {
            "ivf" => new IvfIndexOptions { NumberOfLists = 10, NumberOfProbes = 4 },
            "hnsw" => new HnswIndexOptions { MaxConnections = 8 },
            _ => new ExactIndexOptions(),
        };
        var model = ml.Transforms.FindNearestNeighbors("Neighbors", "Features", numberOfNeighbors: 5, KnnDistance.L1, index).Fit(reference);

        var transformed = model.Transform(queries);
        var rows = transformed.GetColumn<int[]>("Neighbors").ToArray();
        var distances = transformed.GetColumn<float[]>("NeighborsDistances").ToArray();
        var features = queries.GetColumn<float[]>("Features").SelectMany(f => f).ToArray();
        var (expectedRows, expectedDistances) = IvfIndexTests.Search(model.Index, features, 5);
        rows.SelectMany(r => r).Should().Equal(expectedRows);
        distances.SelectMany(d => d).Should().Equal(expectedDistances);

        string path = Path.Combine(RepoPaths.NewTempDirectory(), "neighbors.zip");
        ml.Model.Save(model, reference.Schema, path);
        var fresh = new MLContext(seed: 2);
        var loaded = fresh.Model.Load(path, out _);
        loaded.Transform(queries).GetColumn<int[]>("Neighbors").SelectMany(r => r).Should().Equal(expectedRows);

        var engine = ml.Model.CreatePredictionEngine<LabelledRow, NeighborsOutput>(model, inputSchemaDefinition: Schema());
        var first = engine.Predict(SyntheticData.Rows(60, 12, seed: 2)[0]);
        first.Neighbors.Should().Equal(expectedRows.Take(5));
    }

    [Fact]
    public void BadInput_NamesTheColumnOrOption()
    {
        var ml = new MLContext(seed: 1);
        var reference = SyntheticData.ToDataView(ml, SyntheticData.Rows(20, 12, seed: 1), 12);
        FluentActions.Invoking(() => ml.Transforms.FindNearestNeighbors(numberOfNeighbors: 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("NumberOfNeighbors");
        FluentActions.Invoking(() => ml.Transforms.FindNearestNeighbors(numberOfNeighbors: 21).Fit(reference)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*must not exceed the number of rows (20)*");
        FluentActions.Invoking(() => ml.Transforms.FindNearestNeighbors(inputColumnName: "Missing").Fit(reference)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Missing'*");
        var model = ml.Transforms.FindNearestNeighbors(numberOfNeighbors: 3).Fit(reference);
        var narrow = SyntheticData.ToDataView(ml, SyntheticData.Rows(5, 6, seed: 1), 6);
        FluentActions.Invoking(() => model.Transform(narrow)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*6 slots*12*");
    }

    private static SchemaDefinition Schema()
    {
        var schema = SchemaDefinition.Create(typeof(LabelledRow));
        schema[nameof(LabelledRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 12);
        return schema;
    }

    public sealed class NeighborsOutput
    {
        public int[] Neighbors { get; set; } = [];
    }
}
