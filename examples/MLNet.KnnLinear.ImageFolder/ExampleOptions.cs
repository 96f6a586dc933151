using System.CommandLine;
using MLNet.KnnLinear.Examples;
using System.CommandLine.Parsing;
using System.Globalization;

namespace MLNet.KnnLinear.ImageFolder;

/// <summary>
/// The example's command line (System.CommandLine, as the CIFAR-10 example's): every option with its default in
/// --help, numbers in the invariant culture, and a bad value an error that names the option.
/// </summary>
internal sealed record ExampleOptions(
    string? Folder,
    string Output,
    int Seed,
    double TestFraction,
    int Size,
    int K,
    double Lambda,
    string? ExportCifar10,
    int PerClass,
    string? Data)
{
    public static RootCommand CreateCommand(Func<ExampleOptions, int> run)
    {
        var folder = new Argument<string?>("FOLDER")
        {
            Description = "A folder whose subfolders are the classes, each holding its images (png, jpg, jpeg, bmp; subfolders of a class count as the class).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var output = new Option<string>("--out") { Description = "Folder for model.zip, results.json and confusion-matrix.png.", DefaultValueFactory = _ => "image-folder-output" };
        var seed = new Option<int>("--seed") { Description = "Seed of the MLContext and of the train/test split.", DefaultValueFactory = _ => 1, CustomParser = r => OptionParsers.Whole(r, "--seed", 0) };
        var testFraction = new Option<double>("--test-fraction") { Description = "Share of each class's images held out for the test, in (0, 1).", DefaultValueFactory = _ => 0.2, CustomParser = r => OptionParsers.Fraction(r, "--test-fraction") };
        // HoG's default 2 × 2 blocks of 8 × 8-pixel cells need images of at least 16 × 16.
        var size = new Option<int>("--size") { Description = "Images are resized to N × N pixels before featurizing (at least 16: one HoG block of 2 × 2 cells of 8 pixels).", DefaultValueFactory = _ => 32, CustomParser = r => OptionParsers.Whole(r, "--size", 16) };
        var k = new Option<int>("--k") { Description = "Neighbours the kNN classifier votes with.", DefaultValueFactory = _ => 5, CustomParser = r => OptionParsers.Whole(r, "--k", 1) };
        var lambda = new Option<double>("--lambda") { Description = "L2 regularization strength λ of the softmax classifier (invariant culture: 1e-2 or 0.01).", DefaultValueFactory = _ => 1e-2, CustomParser = r => OptionParsers.NonNegative(r, "--lambda") };
        var exportCifar10 = new Option<string?>("--export-cifar10") { Description = "Instead of classifying: write --per-class CIFAR-10 training images of each class as DIR/<class>/<index>.png, then exit (a folder to try the example on)." };
        var perClass = new Option<int>("--per-class") { Description = "Images per class written by --export-cifar10.", DefaultValueFactory = _ => 40, CustomParser = r => OptionParsers.Whole(r, "--per-class", 1) };
        var data = new Option<string?>("--data") { Description = "For --export-cifar10: the cifar-10-batches-bin folder or cifar-10-binary.tar.gz; default: CIFAR10_DIR, else ../shared/data/cifar-10-batches-bin." };
        var command = new RootCommand("Classify your own images: a folder of class subfolders → HoG + colour histogram → kNN and a softmax classifier, evaluated on a held-out split.")
        {
            folder, output, seed, testFraction, size, k, lambda, exportCifar10, perClass, data,
        };
        command.SetAction(result => run(new ExampleOptions(
            result.GetValue(folder),
            result.GetValue(output)!,
            result.GetValue(seed),
            result.GetValue(testFraction),
            result.GetValue(size),
            result.GetValue(k),
            result.GetValue(lambda),
            result.GetValue(exportCifar10),
            result.GetValue(perClass),
            result.GetValue(data))));
        return command;
    }
}
