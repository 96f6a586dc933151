using Microsoft.ML;
using MLNet.KnnLinear.ModelSelection;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.ModelSelection;

public sealed class SweepTests
{
    [Theory]
    [InlineData(10, 5)]
    [InlineData(103, 5)]
    [InlineData(7, 7)]
    public void KFold_EveryRowIsValidationExactlyOnceAndFoldsAreBalanced(int rows, int folds)
    {
        var foldOfRow = HyperparameterSweep.KFold(rows, folds, seed: 3);

        foldOfRow.Should().HaveCount(rows).And.OnlyContain(f => f >= 0 && f < folds);
        var sizes = foldOfRow.GroupBy(f => f).Select(g => g.Count()).ToArray();
        sizes.Should().HaveCount(folds);
        (sizes.Max() - sizes.Min()).Should().BeLessThanOrEqualTo(1);
        HyperparameterSweep.KFold(rows, folds, seed: 3).Should().Equal(foldOfRow, "the same seed gives the same folds");
        HyperparameterSweep.KFold(rows, folds, seed: 4).Should().NotEqual(foldOfRow);
    }

    [Fact]
    public void SweepByCrossValidation_KnnOverK_DeterministicTableBestAndPlot()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(150, 6, seed: 1), 6);
        var candidates = new[] { 1, 3, 7 }.Select(k => new SweepCandidate($"k = {k}", k, ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: k))).ToArray();

        var first = ml.MulticlassClassification.SweepByCrossValidation(data, candidates, numberOfFolds: 5, seed: 2);
        var second = ml.MulticlassClassification.SweepByCrossValidation(data, candidates, numberOfFolds: 5, seed: 2);

        first.Candidates.Should().HaveCount(3).And.OnlyContain(c => c.FoldValues.Count == 5);
        first.Candidates.Select(c => c.FoldValues).Should().BeEquivalentTo(second.Candidates.Select(c => c.FoldValues), o => o.WithStrictOrdering());
        first.Best.Mean.Should().Be(first.Candidates.Max(c => c.Mean));
        first.Candidates[0].Mean.Should().BeApproximately(first.Candidates[0].FoldValues.Average(), 1e-12);
        first.ToTable().Should().Contain("k = 7").And.Contain("← best").And.Contain("fold 5");
    }

    [Fact]
    public void SweepByValidationSplit_OneFoldOfTheRequestedSize()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(100, 6, seed: 1), 6);
        var result = ml.MulticlassClassification.SweepByValidationSplit(data, [new SweepCandidate("k = 1", 1, ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 1))], validationFraction: 0.25);

        result.Folds.Should().Be(1);
        HyperparameterSweep.Holdout(100, 0.25, seed: 1).Count(f => f == 0).Should().Be(25);
        FluentActions.Invoking(() => ml.MulticlassClassification.SweepByValidationSplit(data, [], 0.2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("candidates");
        FluentActions.Invoking(() => ml.MulticlassClassification.SweepByCrossValidation(data, result.Candidates.Select(c => c.Candidate), numberOfFolds: 1)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
