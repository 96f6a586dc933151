using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Knn;

/// <summary>
/// Vote ties: the tied class holding the nearest neighbour wins, Score's first maximum says the same, so Evaluate
/// reports what PredictedLabel predicts, and none of it depends on the order of the label keys.
/// </summary>
public sealed class KnnVoteTieTests
{
    private const int Dimension = 6;

    [Theory]
    [InlineData(KnnDistance.L1, KnnWeighting.Uniform)]
    [InlineData(KnnDistance.L2, KnnWeighting.Uniform)]
    public void Knn_VoteTies_ArgmaxScoreIsPredictedLabelWhateverTheKeyOrder(KnnDistance distance, KnnWeighting weighting)
    {
        var ml = new MLContext(seed: 1);
        var train = SyntheticData.Rows(200, Dimension, seed: 21, range: 6);
        var test = SyntheticData.Rows(150, Dimension, seed: 22, range: 6);
        var options = new KnnTrainer.Options { NumberOfNeighbors = 4, Distance = distance, Weighting = weighting };
        List<string>? firstOrderPredictions = null;

        foreach (var names in new[] { SyntheticData.ClassNames, SyntheticData.ClassNames.Reverse().ToArray() })
        {
            var toKey = ml.Transforms.Conversion.MapValueToKey("Label", keyData: ml.Data.LoadFromEnumerable(names.Select(n => new KeyRow { Key = n })));
            var trainView = toKey.Fit(SyntheticData.ToDataView(ml, train, Dimension)).Transform(SyntheticData.ToDataView(ml, train, Dimension));
            var testView = toKey.Fit(SyntheticData.ToDataView(ml, test, Dimension)).Transform(SyntheticData.ToDataView(ml, test, Dimension));
            var model = ml.MulticlassClassification.Trainers.Knn(options).Fit(trainView);
            var scored = model.Transform(testView);

            int ties = test.Count(row => HasVoteTie(model.Model, row.Features, weighting));
            ties.Should().BeGreaterThan(5, "the data must tie for this test to mean anything");

            var (labels, predicted, argmax) = ScoreReader.Read(scored);
            argmax.Should().Equal(predicted, "ML.NET's Evaluate reads argmax(Score)");
            double accuracy = labels.Zip(predicted).Count(p => p.First == p.Second) / (double)labels.Count;
            ml.MulticlassClassification.Evaluate(scored).MicroAccuracy.Should().Be(accuracy);

            var predictedNames = predicted.Select(p => names[p - 1]).ToList();
            firstOrderPredictions ??= predictedNames;
            predictedNames.Should().Equal(firstOrderPredictions, "the tie rule does not depend on the key order");
        }
    }

    private static bool HasVoteTie(KnnModelParameters model, float[] features, KnnWeighting weighting)
    {
        var votes = new double[model.ClassCount];
        foreach (var neighbor in model.FindNearestNeighbors(features))
        {
            votes[neighbor.ClassIndex] += weighting == KnnWeighting.Uniform ? 1 : 1 / neighbor.Distance;
        }

        return votes.Count(v => v == votes.Max()) > 1;
    }

    private sealed class KeyRow
    {
        public string Key { get; set; } = string.Empty;
    }
}
