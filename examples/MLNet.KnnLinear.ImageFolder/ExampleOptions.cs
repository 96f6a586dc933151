using System.CommandLine;
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
        var seed = new Option<int>("--seed") { Description = "Seed of the MLContext and of the train/test split.", DefaultValueFactory = _ => 1, CustomParser = r => Whole(r, "--seed", 0) };
        var testFraction = new Option<double>("--test-fraction") { Description = "Share of each class's images held out for the test, in (0, 1).", DefaultValueFactory = _ => 0.2, CustomParser = r => Fraction(r, "--test-fraction") };
        // HoG's default 2 × 2 blocks of 8 × 8-pixel cells need images of at least 16 × 16.
        var size = new Option<int>("--size") { Description = "Images are resized to N × N pixels before featurizing (at least 16: one HoG block of 2 × 2 cells of 8 pixels).", DefaultValueFactory = _ => 32, CustomParser = r => Whole(r, "--size", 16) };
        var k = new Option<int>("--k") { Description = "Neighbours the kNN classifier votes with.", DefaultValueFactory = _ => 5, CustomParser = r => Whole(r, "--k", 1) };
        var lambda = new Option<double>("--lambda") { Description = "L2 regularization strength λ of the softmax classifier (invariant culture: 1e-2 or 0.01).", DefaultValueFactory = _ => 1e-2, CustomParser = r => NonNegative(r, "--lambda") };
        var exportCifar10 = new Option<string?>("--export-cifar10") { Description = "Instead of classifying: write --per-class CIFAR-10 training images of each class as DIR/<class>/<index>.png, then exit (a folder to try the example on)." };
        var perClass = new Option<int>("--per-class") { Description = "Images per class written by --export-cifar10.", DefaultValueFactory = _ => 40, CustomParser = r => Whole(r, "--per-class", 1) };
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

    private static string Token(ArgumentResult result) => result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;

    private static int Whole(ArgumentResult result, string name, int min)
    {
        string text = Token(result);
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min)
        {
            return value;
        }

        result.AddError($"{name}: expected a whole number ≥ {min}, got '{text}'.");
        return min;
    }

    private static double Fraction(ArgumentResult result, string name)
    {
        string text = Token(result);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && value < 1)
        {
            return value;
        }

        result.AddError($"{name}: expected a number between 0 and 1 (exclusive), got '{text}'.");
        return 0.2;
    }

    private static double NonNegative(ArgumentResult result, string name)
    {
        string text = Token(result);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0 && double.IsFinite(value))
        {
            return value;
        }

        result.AddError($"{name}: expected a finite number ≥ 0, got '{text}'.");
        return 0;
    }
}
