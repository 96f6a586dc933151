using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear;
using MLNet.KnnLinear.ImageFolder;
using Spectre.Console;

// Classify your own images: FOLDER/<class>/<image> → a seeded, stratified train/test split → LoadImages and
// ResizeImages → HoG + hue histogram, standardised (as the CIFAR-10 example's feature experiment) → kNN and a softmax
// classifier side by side. The more accurate one is saved as model.zip (ImagePath in, PredictedClass out).
// `--help` lists the options and their defaults.
var command = ExampleOptions.CreateCommand(Run);
return command.Parse(args).Invoke();

int Run(ExampleOptions options)
{
    var ml = new MLContext(seed: options.Seed);
    if (options.ExportCifar10 is { } exportDirectory)
    {
        return MLNet.KnnLinear.Examples.CifarExport.Run(ml, options.Data, exportDirectory, options.PerClass);
    }

    if (string.IsNullOrEmpty(options.Folder))
    {
        AnsiConsole.MarkupLine("[red]FOLDER is missing:[/] give a folder whose subfolders are the classes (or make one from CIFAR-10 with [bold]--export-cifar10 DIR[/]).");
        return 1;
    }

    string root = Path.GetFullPath(options.Folder);
    if (!Directory.Exists(root))
    {
        AnsiConsole.MarkupLine($"[red]FOLDER {Markup.Escape(options.Folder)}:[/] {Markup.Escape(root)} is not a folder.");
        return 1;
    }

    string outputDirectory = Path.GetFullPath(options.Output);
    var classes = ImageFiles.ListClasses(root, outputDirectory);
    if (classes.Count < 2)
    {
        AnsiConsole.MarkupLine($"[red]FOLDER {Markup.Escape(options.Folder)}:[/] {(classes.Count == 0 ? "no class subfolder" : "only one class subfolder")} with images (png, jpg, jpeg, bmp) in {Markup.Escape(root)}; a classifier needs at least two.");
        return 1;
    }

    var (trainRows, testRows) = ImageFiles.Split(classes, options.TestFraction, options.Seed);
    if (testRows.Length == 0)
    {
        AnsiConsole.MarkupLine($"[red]--test-fraction {options.TestFraction.ToString(CultureInfo.InvariantCulture)}:[/] no image is left for the test (each class keeps at least one training image); add images or raise the fraction.");
        return 1;
    }

    Directory.CreateDirectory(outputDirectory);
    AnsiConsole.MarkupLine($"[bold]{Markup.Escape(root)}[/]: {classes.Count} classes, {trainRows.Length:N0} training and {testRows.Length:N0} test images (seed {options.Seed}). Output: [bold]{Markup.Escape(outputDirectory)}[/]");

    // Label becomes a key whose values are the class names in folder order (keyData), whatever order the shuffled
    // training rows come in; the classifiers need a key label, and carry its names to PredictedLabel.
    string[] classNames = classes.Select(c => c.Class).ToArray();
    var trainData = ml.Data.LoadFromEnumerable(trainRows);
    var classData = ml.Data.LoadFromEnumerable(classNames.Select(name => new ClassName { Label = name }));
    var labels = ml.Transforms.Conversion.MapValueToKey("Label", keyData: classData).Fit(trainData);
    var trainFiles = labels.Transform(trainData);
    var testFiles = labels.Transform(ml.Data.LoadFromEnumerable(testRows));

    // Featurize once: both classifiers then train on the same cached vectors, and their fit times are their own.
    ITransformer featurizer;
    IDataView train;
    IDataView test;
    double featureSeconds;
    try
    {
        (featurizer, train, test, featureSeconds) = AnsiConsole.Status().Start($"Reading and featurizing {trainRows.Length + testRows.Length:N0} images", status =>
        {
            var watch = Stopwatch.StartNew();
            var fittedFeaturizer = Featurizer(ml, root, options.Size).Fit(trainFiles);
            var trainFeatures = ml.Data.Cache(fittedFeaturizer.Transform(trainFiles));
            var testFeatures = ml.Data.Cache(fittedFeaturizer.Transform(testFiles));

            // Reading the Features column fills the caches now (a cache fills a column when it is first read).
            _ = trainFeatures.GetColumn<VBuffer<float>>("Features").Count() + testFeatures.GetColumn<VBuffer<float>>("Features").Count();
            return (fittedFeaturizer, trainFeatures, testFeatures, watch.Elapsed.TotalSeconds);
        });
    }
    catch (Exception e) when (e is not OperationCanceledException)
    {
        // Most likely an image that cannot be decoded; ML.NET's message says which.
        // ML.NET wraps a failure in its cursor threads' exceptions: the innermost one says what went wrong.
        var cause = e;
        while (cause.InnerException is { } inner)
        {
            cause = inner;
        }

        AnsiConsole.MarkupLine($"[red]Reading or featurizing the images of {Markup.Escape(root)} failed:[/] {Markup.Escape(cause.Message)}");
        return 1;
    }

    AnsiConsole.MarkupLine($"Features (HoG + hue histogram of {options.Size}×{options.Size} images, standardised) in {featureSeconds:F2} s.");

    var methods = new List<FittedMethod>
    {
        Fit($"kNN, k = {options.K}, L2", ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: options.K)),
        Fit($"softmax, λ = {options.Lambda.ToString("G3", CultureInfo.InvariantCulture)}", ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options { Loss = LinearLoss.Softmax, Regularization = Regularization.L2, Lambda = options.Lambda })),
    };

    var table = new Table().AddColumns("method", "micro accuracy", "macro accuracy", "fit");
    foreach (var row in methods)
    {
        table.AddRow(Markup.Escape(row.Method), $"{row.Metrics.MicroAccuracy:P2}", $"{row.Metrics.MacroAccuracy:P2}", $"{row.FitSeconds:F2} s");
    }

    AnsiConsole.Write(table);

    // The saved model is the whole pipeline: image path → features → classifier → PredictedClass (the class name).
    var best = methods.MaxBy(m => m.Metrics.MicroAccuracy)!;
    var toClassName = ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel").Fit(best.Model.Transform(test));
    var model = featurizer.Append(best.Model).Append(toClassName);
    string modelPath = Path.Combine(outputDirectory, "model.zip");
    ml.Model.Save(model, trainData.Schema, modelPath);
    string matrixPath = Path.Combine(outputDirectory, "confusion-matrix.png");
    best.Metrics.ConfusionMatrix.SavePlot(matrixPath, classNames, $"Confusion matrix (test): {best.Method}");

    var results = new RunResults(
        root,
        classNames,
        trainRows.Length,
        testRows.Length,
        options.Seed,
        options.TestFraction,
        options.Size,
        featureSeconds,
        methods.Select(m => new MethodResult(m.Method, m.Metrics.MicroAccuracy, m.Metrics.MacroAccuracy, m.FitSeconds)).ToArray(),
        best.Method,
        modelPath);
    string resultsPath = Path.Combine(outputDirectory, "results.json");
    File.WriteAllText(resultsPath, JsonSerializer.Serialize(results, RunResults.Json));
    AnsiConsole.MarkupLine($"Saved the more accurate model ({Markup.Escape(best.Method)}): [bold]{Markup.Escape(modelPath)}[/]; its confusion matrix: [bold]{Markup.Escape(matrixPath)}[/]; the table: [bold]{Markup.Escape(resultsPath)}[/]");
    return 0;

    // Fits one classifier on the training features (timed) and evaluates it on the test features.
    FittedMethod Fit(string method, IEstimator<ITransformer> trainer)
        => AnsiConsole.Status().Start($"Fitting {Markup.Escape(method)}", status =>
        {
            var watch = Stopwatch.StartNew();
            var trained = trainer.Fit(train);
            double seconds = watch.Elapsed.TotalSeconds;
            var metrics = ml.MulticlassClassification.Evaluate(trained.Transform(test));
            return new FittedMethod(method, metrics, seconds, trained);
        });
}

// Image path → MLImage → size × size → HoG (324 values at 32 × 32: 3 × 3 blocks of 2 × 2 cells × 9 orientations)
// + 10-bin hue histogram → one vector, standardised per slot (mean 0, variance 1 on the training images) so that
// neither part dominates kNN's distances or the softmax's step sizes.
static IEstimator<ITransformer> Featurizer(MLContext ml, string imageFolder, int size)
    => ml.Transforms.LoadImages("ImageFile", imageFolder, "ImagePath")
        .Append(ml.Transforms.ResizeImages("Image", size, size, "ImageFile"))
        .Append(ml.Transforms.ExtractHogFeatures("Hog", "Image"))
        .Append(ml.Transforms.ExtractColorHistogram("Hue", "Image"))
        .Append(ml.Transforms.Concatenate("Features", "Hog", "Hue"))
        .Append(ml.Transforms.NormalizeMeanVariance("Features"));

/// <summary>One class name: the single-column view MapValueToKey's keyData takes.</summary>
internal sealed class ClassName
{
    public string Label { get; set; } = string.Empty;
}
