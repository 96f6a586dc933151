using System.Diagnostics;
using Microsoft.ML;
using MLNet.KnnLinear;
using MLNet.KnnLinear.Cifar10;
using Spectre.Console;

// The lecture's experiments on CIFAR-10: nearest neighbours on raw pixels (L1 against L2), linear classifiers
// (softmax and multiclass SVM, λ chosen on a validation split) and ML.NET's built-in trainers on the same features.
// Usage: dotnet run --project examples/MLNet.KnnLinear.Cifar10 -c Release -- [--data DIR] [--train N] [--test N] [--k K]
//        [--out DIR] [--lambdas 1e-3,1e-2] [--methods knn,linear,mlnet]
string? dataArgument = Option("--data");
int trainCount = int.Parse(Option("--train") ?? "50000");
int testCount = int.Parse(Option("--test") ?? "10000");
int k = int.Parse(Option("--k") ?? "1");
string outputDirectory = Path.GetFullPath(Option("--out") ?? "cifar10-output");
double[] lambdas = (Option("--lambdas") ?? "1e-3,1e-2,1e-1").Split(',').Select(double.Parse).ToArray();
var methods = (Option("--methods") ?? "knn,linear,mlnet").Split(',').ToHashSet(StringComparer.OrdinalIgnoreCase);

string? dataDirectory = CifarFiles.Locate(dataArgument);
if (dataDirectory is null)
{
    AnsiConsole.MarkupLine("[red]CIFAR-10 not found.[/] Download the binary version (cifar-10-binary.tar.gz) from https://www.cs.toronto.edu/~kriz/cifar.html, "
        + "extract it, and pass [bold]--data path/to/cifar-10-batches-bin[/] or set [bold]CIFAR10_DIR[/].");
    return 1;
}

var ml = new MLContext(seed: 1);
var (trainPixels, trainLabels) = CifarFiles.Read(dataDirectory, trainCount, CifarFiles.TrainBatches);
var (testPixels, testLabels) = CifarFiles.Read(dataDirectory, testCount, "test_batch.bin");
AnsiConsole.MarkupLine($"CIFAR-10 from [bold]{Path.GetFullPath(dataDirectory)}[/]: {trainLabels.Length:N0} training and {testLabels.Length:N0} test images, {Environment.ProcessorCount} cores.");
var train = Images.ToDataView(ml, trainPixels, trainLabels);
var test = Images.ToDataView(ml, testPixels, testLabels);

var table = new Table().AddColumns("method", "accuracy", "macro accuracy", "fit", "predict");
void AddRow(string method, Microsoft.ML.Data.MulticlassClassificationMetrics metrics, TimeSpan fit, TimeSpan predict)
{
    table.AddRow(Markup.Escape(method), $"{metrics.MicroAccuracy:P2}", $"{metrics.MacroAccuracy:P2}", $"{fit.TotalSeconds:F2} s", $"{predict.TotalSeconds:F2} s");
    AnsiConsole.MarkupLine($"[grey]{Markup.Escape(method)}: {metrics.MicroAccuracy:P2} (fit {fit.TotalSeconds:F2} s)[/]");
}

foreach (var distance in methods.Contains("knn") ? new[] { KnnDistance.L1, KnnDistance.L2 } : [])
{
    var watch = Stopwatch.StartNew();
    var model = ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: k, distance: distance).Fit(train);
    var fit = watch.Elapsed;
    watch.Restart();
    var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
    AddRow($"kNN {distance}, k = {k}, raw pixels", metrics, fit, watch.Elapsed);
}

LinearPredictionTransformer? template = null;
var linearRuns = LinearExperiment.Run(ml, trainPixels, trainLabels, testPixels, testLabels, lambdas, methods.Contains("linear"), methods.Contains("mlnet"), line => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(line)}[/]"));
foreach (var (method, metrics, fit, predict, model) in linearRuns)
{
    AddRow(method, metrics, fit, predict);
    template ??= model as LinearPredictionTransformer;
}

AnsiConsole.Write(table);
if (template is not null)
{
    string[] names = File.Exists(Path.Combine(dataDirectory, "batches.meta.txt"))
        ? File.ReadAllLines(Path.Combine(dataDirectory, "batches.meta.txt")).Where(l => l.Length > 0).ToArray()
        : Enumerable.Range(0, 10).Select(c => c.ToString()).ToArray();
    var files = template.Model.SaveClassTemplates(outputDirectory, 32, 32, channels: 3, planar: true, classNames: names);
    AnsiConsole.MarkupLine($"Class templates of the softmax classifier: [bold]{files[^1]}[/] (and one PNG per class in {outputDirectory})");
}

return 0;

string? Option(string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
