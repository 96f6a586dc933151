using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Knn;

/// <summary>
/// Accuracy on real CIFAR-10 images against figures that faiss and scikit-learn give on the same split: train =
/// the first 5,000 records of data_batch_1..5 read in that order, test = the first 500 of test_batch, raw pixel bytes
/// as float features, k = 1.
/// </summary>
public sealed class KnnCifar10Tests
{
    [SkippableTheory]
    [InlineData(KnnDistance.L2, 0.2560)]
    [InlineData(KnnDistance.L1, 0.2660)]
    public void Knn_Cifar10RawPixels_MatchesFaissAndScikitLearnAccuracy(KnnDistance distance, double expectedAccuracy)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.TakeRows(ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Train), 5000);
        var test = ml.Data.TakeRows(ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Test), 500);
        var pipeline = ml.Transforms.Conversion.ConvertType("Features", "Pixels", DataKind.Single)
            .Append(ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 1, distance: distance));

        var model = pipeline.Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));

        metrics.ConfusionMatrix.Counts.Sum(row => row.Sum()).Should().Be(500);
        metrics.MicroAccuracy.Should().BeApproximately(expectedAccuracy, 1e-9);
    }
}
