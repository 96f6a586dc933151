using Microsoft.ML;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.ModelSelection;

/// <summary>Sweeps that could only report meaningless numbers refuse instead, naming the argument.</summary>
public sealed class SweepValidationTests
{
    [Theory]
    [InlineData(0.001)] // 100 rows × 0.001 rounds to 0 held-out rows: every accuracy would be 0 of 0
    [InlineData(0.999)] // rounds to all 100 rows held out: nothing left to train on
    public void SweepByValidationSplit_FractionRoundingToNoHeldOutOrNoTrainingRows_ThrowsNamingValidationFraction(double fraction)
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(100, 6, seed: 1), 6);
        var candidates = new[] { new SweepCandidate("k = 1", 1, ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 1)) };

        FluentActions.Invoking(() => ml.MulticlassClassification.SweepByValidationSplit(data, candidates, fraction))
            .Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "validationFraction" && e.Message.Contains("100 rows"));
    }

    [Fact]
    public void Sweeps_NullCandidateOrNullEstimator_ThrowArgumentNullException()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(100, 6, seed: 1), 6);
        var good = new SweepCandidate("k = 1", 1, ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 1));
        SweepCandidate?[] withNull = [good, null];
        SweepCandidate[] withNullEstimator = [good, new SweepCandidate("none", 2, null!)];

        FluentActions.Invoking(() => ml.MulticlassClassification.SweepByValidationSplit(data, withNull!)).Should().Throw<ArgumentNullException>().Where(e => e.ParamName == "candidates" && e.Message.Contains("Candidate 1"));
        FluentActions.Invoking(() => ml.MulticlassClassification.SweepByCrossValidation(data, withNull!)).Should().Throw<ArgumentNullException>().Where(e => e.ParamName == "candidates");
        FluentActions.Invoking(() => ml.MulticlassClassification.SweepByCrossValidation(data, withNullEstimator)).Should().Throw<ArgumentNullException>().Where(e => e.Message.Contains("Candidate 1"));
    }
}
