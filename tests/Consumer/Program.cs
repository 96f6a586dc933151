using System.Reflection;
using KnnLinearConsumer;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear;

// The consumer test (.ci/consumer-test): a new console project, outside the repository, that references the
// MLNet.KnnLinear package by version and nothing else of the repository. On synthetic images in the CIFAR-10 binary
// format it runs the README's quick start, then HoG + hue-histogram features with kNN and the linear classifier: fit, evaluate, save, load again (in a
// new MLContext), predict again, and requires the reloaded model's predictions to be identical.
// Usage: dotnet run -- [WORK_DIRECTORY]. Exit code 0 when every check passes.
string work = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "knnlinear-consumer"));
string data = SyntheticCifar.Write(Path.Combine(work, "cifar-10-batches-bin"), trainPerClass: 100, testPerClass: 30, seed: 7);
Console.WriteLine($"MLNet.KnnLinear {InformationalVersion(typeof(KnnTrainer))} ({typeof(KnnTrainer).Assembly.Location}), "
    + $"ML.NET {InformationalVersion(typeof(MLContext))}, .NET {Environment.Version}");
Console.WriteLine($"Synthetic CIFAR-10-format images in {data}: 1,000 training and 300 test, {SyntheticCifar.ClassNames.Length} classes");

Environment.CurrentDirectory = work;   // the quick start reads ./cifar-10-batches-bin and writes ./knn.zip
double quickStart = QuickStart.Run();
bool ok = quickStart > 0.5;

var ml = new MLContext(seed: 1);
var train = ml.Data.LoadFromCifar10(data, Cifar10Split.Train);
var test = ml.Data.LoadFromCifar10(data, Cifar10Split.Test);

// The features both trainers see: HoG of the MLImage column (built lazily by the loader) and the hue histogram of
// the pixel vector, concatenated.
IEstimator<ITransformer> features = ml.Transforms.ExtractHogFeatures("Hog", "Image")
    .Append(ml.Transforms.ExtractColorHistogram("Hue", "Pixels"))
    .Append(ml.Transforms.Concatenate("Features", "Hog", "Hue"));

ok &= Check("knn", "kNN (L1, k = 5)",
    features.Append(ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 5, distance: KnnDistance.L1)));
ok &= Check("linear", "linear classifier (softmax, L2)",
    features.Append(ml.Transforms.NormalizeMinMax("Features"))
        .Append(ml.MulticlassClassification.Trainers.LinearClassifier(loss: LinearLoss.Softmax, lambda: 1e-3)));

Console.WriteLine(ok ? "consumer test: OK" : "consumer test: FAILED");
return ok ? 0 : 1;

// Fits on the training images, evaluates on the test images, saves, loads with a new MLContext and compares the
// reloaded model's predictions (label and every score, bit for bit) with the original's.
bool Check(string file, string name, IEstimator<ITransformer> estimator)
{
    var model = estimator.Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel")).Fit(train);
    var predictions = model.Transform(test);
    var metrics = ml.MulticlassClassification.Evaluate(predictions);
    string path = Path.Combine(work, file + ".zip");
    ml.Model.Save(model, train.Schema, path);

    var fresh = new MLContext(seed: 2);
    var loaded = fresh.Model.Load(path, out _);
    var before = ml.Data.CreateEnumerable<Prediction>(predictions, reuseRowObject: false).ToList();
    var after = fresh.Data.CreateEnumerable<Prediction>(loaded.Transform(fresh.Data.LoadFromCifar10(data, Cifar10Split.Test)), reuseRowObject: false).ToList();
    int different = before.Count == after.Count ? before.Zip(after).Count(p => !p.First.SameAs(p.Second)) : Math.Max(before.Count, after.Count);

    Console.WriteLine($"{name}: test accuracy {metrics.MicroAccuracy:P2} (macro {metrics.MacroAccuracy:P2}, log-loss {metrics.LogLoss:F3}); "
        + $"saved and reloaded: {after.Count} predictions, {different} different");
    return different == 0 && before.Count == 300 && metrics.MicroAccuracy > 0.5;
}

static string? InformationalVersion(Type type) => type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

/// <summary>One prediction as read back from the scored data.</summary>
internal sealed class Prediction
{
    public string PredictedLabel { get; set; } = "";

    public float[] Score { get; set; } = [];

    public bool SameAs(Prediction other)
        => PredictedLabel == other.PredictedLabel
            && Score.Length == other.Score.Length
            && Score.Zip(other.Score).All(s => BitConverter.SingleToInt32Bits(s.First) == BitConverter.SingleToInt32Bits(s.Second));
}
