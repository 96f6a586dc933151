using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear;
using MLNet.KnnLinear.Cifar10;
using Spectre.Console;

// The lecture's experiments on CIFAR-10: nearest neighbours on raw pixels (L1 against L2), linear classifiers
// (softmax, multiclass SVM and LinearSVC's one-vs-rest squared hinge, λ chosen on a validation split) and ML.NET's
// built-in trainers on the same features. `--help` lists the options and their defaults.
var command = ExampleOptions.CreateCommand(Run);
return command.Parse(args).Invoke();

int Run(ExampleOptions options)
{
    string? dataArgument = options.Data;
    int trainCount = options.Train;
    int testCount = options.Test;
    int[] ks = options.Ks;
    string outputDirectory = Path.GetFullPath(options.Output);
    double[] lambdas = options.Lambdas;
    LinearLoss[] losses = options.Losses;
    var methods = options.Methods;

    string? dataDirectory = CifarFiles.Locate(dataArgument);
    if (dataDirectory is null && !string.IsNullOrEmpty(dataArgument))
    {
        AnsiConsole.MarkupLine($"[red]--data {Markup.Escape(dataArgument)}:[/] {Markup.Escape(Path.GetFullPath(dataArgument))} is neither a file (cifar-10-binary.tar.gz, or one batch file) nor a folder holding test_batch.bin.");
        return 1;
    }

    if (dataDirectory is null)
    {
        AnsiConsole.MarkupLine("[red]CIFAR-10 not found.[/] Download the binary version (cifar-10-binary.tar.gz) from https://www.cs.toronto.edu/~kriz/cifar.html "
            + "and pass [bold]--data path/to/cifar-10-binary.tar.gz[/] (read as it is) or the extracted [bold]cifar-10-batches-bin[/] folder, or set [bold]CIFAR10_DIR[/].");
        return 1;
    }

    // The seed reaches the sweeps' folds and splits (their seed is left null: the context's) and the trainers.
    var ml = new MLContext(seed: options.Seed);
    if (options.Threads is int threads)
    {
        KnnLinearParallelism.MaxDegreeOfParallelism = threads;
    }

    Directory.CreateDirectory(outputDirectory);
    var trainImages = ml.Data.TakeRows(ml.Data.LoadFromCifar10(dataDirectory, Cifar10Split.Train), trainCount);
    var testImages = ml.Data.TakeRows(ml.Data.LoadFromCifar10(dataDirectory, Cifar10Split.Test), testCount);
    var (trainPixels, trainLabels, testPixels, testLabels) = AnsiConsole.Status().Start("Reading CIFAR-10", _ =>
    {
        var (trainArrays, trainKeys) = CifarFiles.ToArrays(ml, trainImages);
        var (testArrays, testKeys) = CifarFiles.ToArrays(ml, testImages);
        return (trainArrays, trainKeys, testArrays, testKeys);
    });
    AnsiConsole.MarkupLine($"CIFAR-10 from [bold]{Markup.Escape(Path.GetFullPath(dataDirectory))}[/]: {trainLabels.Length:N0} training and {testLabels.Length:N0} test images; {Markup.Escape(ResultsFiles.ProcessorName())}, {Environment.ProcessorCount} cores, {KnnLinearParallelism.MaxDegreeOfParallelism} threads, seed {options.Seed}. Output: [bold]{Markup.Escape(outputDirectory)}[/]");
    var rawPixels = ml.Transforms.Conversion.ConvertType("Features", "Pixels", Microsoft.ML.Data.DataKind.Single);

    var table = new Table().AddColumns("method", "accuracy", "macro accuracy", "fit", "predict");
    (string Method, MulticlassClassificationMetrics Metrics, ITransformer Model, DataViewSchema? Input)? best = null;
    var rows = new List<ResultRow>();
    void AddRow(string method, Microsoft.ML.Data.MulticlassClassificationMetrics metrics, TimeSpan fit, TimeSpan predict, ITransformer model, DataViewSchema? input)
    {
        if (best is null || metrics.MicroAccuracy > best.Value.Metrics.MicroAccuracy)
        {
            best = (method, metrics, model, input);
        }

        rows.Add(new ResultRow(method, metrics.MicroAccuracy, metrics.MacroAccuracy, metrics.LogLoss, fit.TotalSeconds, predict.TotalSeconds));

        table.AddRow(Markup.Escape(method), $"{metrics.MicroAccuracy:P2}", $"{metrics.MacroAccuracy:P2}", $"{fit.TotalSeconds:F2} s", $"{predict.TotalSeconds:F2} s");
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(method)}: {metrics.MicroAccuracy:P2} (fit {fit.TotalSeconds:F2} s)[/]");
    }

    foreach (var distance in methods.Contains("knn") ? new[] { KnnDistance.L1, KnnDistance.L2 } : [])
    {
        // The lecture's idea #4: choose k by 5-fold cross-validation on the training set, never on the test set.
        var candidates = ks.Select(k => new SweepCandidate($"k = {k}", k, rawPixels.Append(ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: k, distance: distance))));
        var sweep = AnsiConsole.Progress().Start(progress =>
        {
            var task = progress.AddTask($"kNN {distance}: 5-fold cross-validation over k", maxValue: ks.Length * 5);
            return ml.MulticlassClassification.SweepByCrossValidation(trainImages, candidates, numberOfFolds: 5, seed: null, progress: new SyncProgress<SweepProgress>(_ => task.Increment(1)));
        });
        AnsiConsole.WriteLine(sweep.ToTable());
        string plot = Path.Combine(outputDirectory, $"knn-cross-validation-{distance}.png");
        sweep.SavePlot(plot, "k", $"kNN ({distance}) on raw pixels: 5-fold cross-validation");
        AnsiConsole.MarkupLine($"Cross-validation plot: [bold]{Markup.Escape(plot)}[/]");

        int bestK = (int)sweep.Best.Candidate.Parameter;
        var watch = Stopwatch.StartNew();
        var model = rawPixels.Append(ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: bestK, distance: distance)).Fit(trainImages);
        var fit = watch.Elapsed;
        watch.Restart();
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(testImages));
        AddRow($"kNN {distance}, k = {bestK} (5-fold CV), raw pixels", metrics, fit, watch.Elapsed, model, trainImages.Schema);
        if (distance == KnnDistance.L1)
        {
            var knn = (KnnPredictionTransformer)((TransformerChain<KnnPredictionTransformer>)model).LastTransformer;
            string grid = Path.Combine(outputDirectory, "nearest-neighbours-L1.png");
            var queries = Enumerable.Range(0, Math.Min(10, testLabels.Length)).Select(i => testPixels.AsSpan(i * CifarFiles.PixelCount, CifarFiles.PixelCount).ToArray()).ToArray();
            var training = Enumerable.Range(0, trainLabels.Length).Select(i => trainPixels.AsSpan(i * CifarFiles.PixelCount, CifarFiles.PixelCount).ToArray()).ToArray();
            knn.Model.SaveNeighborGrid(queries, testLabels.Take(queries.Length).ToArray(), training, grid, neighbors: 8);
            AnsiConsole.MarkupLine($"Test images (left) and their nearest training images (L1; green frame: same class): [bold]{Markup.Escape(grid)}[/]");
        }
    }

    LinearPredictionTransformer? template = null;
    var linearRuns = LinearExperiment.Run(ml, trainPixels, trainLabels, testPixels, testLabels, lambdas, methods.Contains("linear") ? losses : [], methods.Contains("mlnet"), line => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(line)}[/]"));
    foreach (var (method, metrics, fit, predict, model) in linearRuns)
    {
        // Fitted on the centred pixel arrays, not on the loader's columns: saved without an input schema.
        AddRow(method, metrics, fit, predict, model, null);
        template ??= model as LinearPredictionTransformer;
    }

    var featureRuns = FeatureExperiment.Run(ml, trainImages, testImages, lambdas, methods.Contains("features"), methods.Contains("mlnet-features"), line => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(line)}[/]"));
    ITransformer? exportable = null;
    foreach (var (method, metrics, fit, predict, model) in featureRuns)
    {
        // Each row's model is the whole pipeline from the loader's pixels (the first, softmax, is exported to ONNX).
        AddRow(method, metrics, fit, predict, model, trainImages.Schema);
        exportable ??= model;
    }

    if (exportable is not null)
    {
        // The softmax pipeline on HoG + hue, pixels in, as one ONNX file, scored back by ONNX Runtime.
        var (file, bytes, agreeing, total) = OnnxExport.Run(ml, exportable, dataDirectory, testCount, outputDirectory);
        AnsiConsole.MarkupLine($"ONNX export of the HoG + hue softmax pipeline: [bold]{Markup.Escape(file)}[/] ({bytes / 1024.0:N0} KB); ONNX Runtime (ApplyOnnxModel) predicts the model's label on {agreeing:N0} of {total:N0} test images.");
    }

    if (methods.Contains("features"))
    {
        var hog = ml.Transforms.ExtractHogFeatures(FeatureExperiment.Variants[1].Options).Fit(testImages);
        for (int i = 0; i < 3; i++)
        {
            hog.SaveVisualization(testImages, i, Path.Combine(outputDirectory, $"hog-test-image-{i}.png"), scale: 8);
            PixelPicture.Save(Path.Combine(outputDirectory, $"test-image-{i}.png"), testPixels.AsSpan(i * CifarFiles.PixelCount, CifarFiles.PixelCount), 8);
        }

        AnsiConsole.MarkupLine($"HoG glyphs of the first test images: [bold]{Markup.Escape(Path.Combine(outputDirectory, "hog-test-image-0.png"))}[/] (beside test-image-0.png)");
    }

    AnsiConsole.Write(table);
    if (best is { } winner)
    {
        VBuffer<ReadOnlyMemory<char>> labelNames = default;
        trainImages.Schema["Label"].GetKeyValues(ref labelNames);
        string matrix = Path.Combine(outputDirectory, "confusion-matrix.png");
        winner.Metrics.ConfusionMatrix.SavePlot(matrix, labelNames.DenseValues().Select(n => n.ToString()).ToArray(), $"Confusion matrix (test): {winner.Method}");
        AnsiConsole.MarkupLine($"Confusion matrix of the best trained model: [bold]{Markup.Escape(matrix)}[/]");
    }

    string? modelFile = null;
    if (best is { } chosen)
    {
        // The most accurate model on the test set, as ML.NET saves models (load it with mlContext.Model.Load).
        modelFile = Path.Combine(outputDirectory, "best-model.zip");
        ml.Model.Save(chosen.Model, chosen.Input, modelFile);
        AnsiConsole.MarkupLine($"The most accurate model ({Markup.Escape(chosen.Method)}): [bold]{Markup.Escape(modelFile)}[/]");
    }

    var (json, csv) = ResultsFiles.Write(outputDirectory, new RunResults(
        Path.GetFullPath(dataDirectory), trainLabels.Length, testLabels.Length, options.Seed, KnnLinearParallelism.MaxDegreeOfParallelism,
        ResultsFiles.ProcessorName(), Environment.ProcessorCount, DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), modelFile, rows));
    AnsiConsole.MarkupLine($"The table, machine-readable: [bold]{Markup.Escape(json)}[/] and [bold]{Markup.Escape(csv)}[/]");

    if (template is not null)
    {
        Microsoft.ML.Data.VBuffer<ReadOnlyMemory<char>> keyValues = default;
        trainImages.Schema["Label"].GetKeyValues(ref keyValues);
        string[] names = keyValues.DenseValues().Select(n => n.ToString()).ToArray();
        var files = template.Model.SaveClassTemplates(outputDirectory, 32, 32, channels: 3, planar: true, classNames: names);
        AnsiConsole.MarkupLine($"Class templates of the {template.Model.Loss} classifier: [bold]{files[^1]}[/] (and one PNG per class in {outputDirectory})");
    }

    return 0;
}
