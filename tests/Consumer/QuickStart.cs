// <quickstart>
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear;
// </quickstart>

namespace KnnLinearConsumer;

/// <summary>
/// The README's quick start. The lines between the quickstart markers are exactly the README's snippet
/// (.ci/consumer-test compares them), so the snippet is compiled and run against the package in CI.
/// </summary>
public static class QuickStart
{
    /// <summary>Runs the snippet in the current directory (which holds cifar-10-batches-bin); returns its test accuracy.</summary>
    public static double Run()
    {
        // <quickstart>
        var ml = new MLContext(seed: 1);
        // CIFAR-10, binary version (https://www.cs.toronto.edu/~kriz/cifar.html): the extracted folder or the .tar.gz
        var train = ml.Data.LoadFromCifar10("cifar-10-batches-bin", Cifar10Split.Train);
        var test = ml.Data.LoadFromCifar10("cifar-10-batches-bin", Cifar10Split.Test);

        var pipeline = ml.Transforms.Conversion.ConvertType("Features", "Pixels", DataKind.Single)
            .Append(ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 5, distance: KnnDistance.L1))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        Console.WriteLine($"kNN (L1, k = 5) test accuracy: {metrics.MicroAccuracy:P2}");

        ml.Model.Save(model, train.Schema, "knn.zip");
        var reloaded = ml.Model.Load("knn.zip", out var inputSchema);   // also in another process
        // </quickstart>
        return metrics.MicroAccuracy;
    }
}
