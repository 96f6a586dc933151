using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Knn;

public sealed class KnnReferenceTests
{
    private const int Dimension = 11;

    public static TheoryData<KnnDistance, int, KnnWeighting> Cases()
    {
        var data = new TheoryData<KnnDistance, int, KnnWeighting>();
        foreach (var distance in new[] { KnnDistance.L1, KnnDistance.L2 })
        {
            foreach (int k in new[] { 1, 3, 7 })
            {
                foreach (var weighting in Enum.GetValues<KnnWeighting>())
                {
                    data.Add(distance, k, weighting);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Knn_Predictions_EqualBruteForceReference(KnnDistance distance, int k, KnnWeighting weighting)
    {
        var ml = new MLContext(seed: 1);
        var train = SyntheticData.Rows(400, Dimension, seed: 10, range: 8);
        var test = SyntheticData.Rows(300, Dimension, seed: 11, range: 8);
        var trainer = ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { NumberOfNeighbors = k, Distance = distance, Weighting = weighting });

        var scored = trainer.Fit(SyntheticData.Keyed(ml, train, Dimension)).Transform(SyntheticData.Keyed(ml, test, Dimension));
        var predictions = ml.Data.CreateEnumerable<ScoredRow>(scored, reuseRowObject: false).ToList();

        var trainFeatures = train.Select(r => r.Features).ToArray();
        var trainClasses = train.Select(r => Array.IndexOf(SyntheticData.ClassNames, r.Label)).ToArray();
        for (int i = 0; i < test.Length; i++)
        {
            var (expected, scores) = BruteForceKnn.Predict(trainFeatures, trainClasses, 4, test[i].Features, k, distance, weighting);
            predictions[i].PredictedLabel.Should().Be((uint)expected + 1, $"test row {i}");
            predictions[i].Score.Should().BeEquivalentTo(scores.Select(s => (float)s), o => o.WithStrictOrdering().Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6f)).WhenTypeIs<float>());
        }
    }

    private sealed class ScoredRow
    {
        [KeyType(4)]
        public uint PredictedLabel { get; set; }

        public float[] Score { get; set; } = [];
    }
}
