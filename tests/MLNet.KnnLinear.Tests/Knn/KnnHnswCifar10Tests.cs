using Microsoft.ML;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Knn;

/// <summary>kNN with an HNSW graph at the default settings on the shared CIFAR-10 split: at most half a point below exact search.</summary>
public sealed class KnnHnswCifar10Tests(Xunit.Abstractions.ITestOutputHelper output)
{
    [SkippableFact]
    public void Knn_Hnsw_Cifar10_LosesAtMostHalfAPointAgainstExact()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Train);
        var test = ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Test);
        var exact = ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { NumberOfNeighbors = 5, Distance = KnnDistance.L2, FeatureColumnName = "Pixels" }).Fit(train);
        var hnsw = ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { NumberOfNeighbors = 5, Distance = KnnDistance.L2, FeatureColumnName = "Pixels", Index = new HnswIndexOptions() }).Fit(train);

        double exactAccuracy = ml.MulticlassClassification.Evaluate(exact.Transform(test)).MicroAccuracy;
        double hnswAccuracy = ml.MulticlassClassification.Evaluate(hnsw.Transform(test)).MicroAccuracy;
        output.WriteLine($"L2, k = 5: exact {exactAccuracy:P2}, HNSW (M 32, efConstruction 64, efSearch 64) {hnswAccuracy:P2}");

        hnswAccuracy.Should().BeGreaterThanOrEqualTo(exactAccuracy - 0.005);
    }
}
