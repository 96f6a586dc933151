using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear;
using MLNet.KnnLinear.Cifar10;
using Spectre.Console;

// The lecture's first experiment: nearest neighbours on raw CIFAR-10 pixels, L1 against L2.
// Usage: dotnet run --project examples/MLNet.KnnLinear.Cifar10 -c Release -- [--data DIR] [--train N] [--test N] [--k K]
string? dataArgument = Option("--data");
int trainCount = int.Parse(Option("--train") ?? "50000");
int testCount = int.Parse(Option("--test") ?? "10000");
int k = int.Parse(Option("--k") ?? "1");

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
var train = ToDataView(ml, trainPixels, trainLabels);
var test = ToDataView(ml, testPixels, testLabels);

var table = new Table().AddColumns("method", "accuracy", "macro accuracy", "fit", "predict");
foreach (var distance in new[] { KnnDistance.L1, KnnDistance.L2 })
{
    var watch = Stopwatch.StartNew();
    var model = ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: k, distance: distance).Fit(train);
    var fit = watch.Elapsed;
    watch.Restart();
    var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
    var predict = watch.Elapsed;
    table.AddRow($"kNN {distance}, k = {k}, raw pixels", $"{metrics.MicroAccuracy:P2}", $"{metrics.MacroAccuracy:P2}", $"{fit.TotalSeconds:F2} s", $"{predict.TotalSeconds:F2} s");
}

AnsiConsole.Write(table);
return 0;

string? Option(string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

static IDataView ToDataView(MLContext ml, float[] pixels, int[] labels)
{
    var rows = labels.Select((label, i) => new ImageRow { Label = label, Features = pixels.AsSpan(i * CifarFiles.PixelCount, CifarFiles.PixelCount).ToArray() });
    var schema = SchemaDefinition.Create(typeof(ImageRow));
    schema[nameof(ImageRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, CifarFiles.PixelCount);
    var data = ml.Data.LoadFromEnumerable(rows, schema);
    var classes = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(c => new LabelOnly { Label = c }));
    return ml.Transforms.Conversion.MapValueToKey("Label", keyData: classes).Fit(data).Transform(data);
}

internal sealed class ImageRow
{
    public int Label { get; set; }

    public float[] Features { get; set; } = [];
}

internal sealed class LabelOnly
{
    public int Label { get; set; }
}
