using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace MLNet.KnnLinear.Cifar10;

/// <summary>
/// The example's command line (System.CommandLine): every option with its default in --help, numbers in the
/// invariant culture, and an unknown option or a bad value an error that names it.
/// </summary>
internal sealed record ExampleOptions(string? Data, int Train, int Test, int[] Ks, string Output, double[] Lambdas, LinearLoss[] Losses, HashSet<string> Methods, int Seed, int? Threads)
{
    /// <summary>What --methods may name.</summary>
    public static readonly string[] KnownMethods = ["knn", "linear", "mlnet", "features", "mlnet-features"];

    public static RootCommand CreateCommand(Func<ExampleOptions, int> run)
    {
        var data = new Option<string?>("--data") { Description = "The cifar-10-batches-bin folder or cifar-10-binary.tar.gz; default: CIFAR10_DIR, else ../shared/data/cifar-10-batches-bin and the usual places." };
        var train = new Option<int>("--train") { Description = "Training images to use (the first N of data_batch_1..5).", DefaultValueFactory = _ => 50000, CustomParser = r => Positive(r, "--train") };
        var test = new Option<int>("--test") { Description = "Test images to use (the first N of test_batch).", DefaultValueFactory = _ => 10000, CustomParser = r => Positive(r, "--test") };
        var ks = new Option<int[]>("--ks") { Description = "k values for kNN's 5-fold cross-validation, comma-separated.", DefaultValueFactory = _ => [1, 3, 5, 7, 10], CustomParser = r => List(r, "--ks", s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture), k => k >= 1, "whole numbers ≥ 1") };
        var output = new Option<string>("--out") { Description = "Folder for the pictures.", DefaultValueFactory = _ => "cifar10-output" };
        var lambdas = new Option<double[]>("--lambdas") { Description = "Regularization strengths λ for the linear classifiers, comma-separated (invariant culture: 1e-3 or 0.001).", DefaultValueFactory = _ => [1e-3, 1e-2, 1e-1, 1], CustomParser = r => List(r, "--lambdas", s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture), l => l >= 0 && double.IsFinite(l), "finite numbers ≥ 0") };
        var losses = new Option<LinearLoss[]>("--losses") { Description = $"Linear losses, comma-separated: {string.Join(", ", Enum.GetNames<LinearLoss>())}.", DefaultValueFactory = _ => [LinearLoss.Softmax, LinearLoss.Hinge, LinearLoss.OneVersusRestSquaredHinge], CustomParser = r => List(r, "--losses", s => Enum.TryParse<LinearLoss>(s, ignoreCase: true, out var loss) && Enum.IsDefined(loss) && !int.TryParse(s, out _) ? loss : throw new FormatException(), _ => true, string.Join(", ", Enum.GetNames<LinearLoss>())) };
        var methods = new Option<string[]>("--methods") { Description = "Experiments to run, comma-separated: knn (raw pixels), linear (ours on pixels), mlnet (ML.NET's trainers on pixels), features (ours on HoG + hue), mlnet-features (ML.NET's on those).", DefaultValueFactory = _ => KnownMethods, CustomParser = r => List(r, "--methods", s => s.ToLowerInvariant(), KnownMethods.Contains, string.Join(", ", KnownMethods)) };
        var seed = new Option<int>("--seed") { Description = "Seed of the MLContext: the cross-validation folds, the validation splits, the trainers' own randomness.", DefaultValueFactory = _ => 1, CustomParser = r => Whole(r, "--seed", 0) };
        var threads = new Option<int?>("--threads") { Description = "Threads this library's searches, featurizers and fits use at most (KnnLinearParallelism.MaxDegreeOfParallelism); default: every core. ML.NET's own trainers keep their defaults.", CustomParser = r => Whole(r, "--threads", 1) };
        var command = new RootCommand("CIFAR-10 with MLNet.KnnLinear: kNN, linear classifiers, HoG + colour features and ML.NET's trainers side by side.")
        {
            data, train, test, ks, output, lambdas, losses, methods, seed, threads,
        };
        command.SetAction(result => run(new ExampleOptions(
            result.GetValue(data),
            result.GetValue(train),
            result.GetValue(test),
            result.GetValue(ks)!,
            result.GetValue(output)!,
            result.GetValue(lambdas)!,
            result.GetValue(losses)!,
            [.. result.GetValue(methods)!],
            result.GetValue(seed),
            result.GetValue(threads))));
        return command;
    }

    private static int Whole(ArgumentResult result, string name, int minimum)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= minimum)
        {
            return value;
        }

        result.AddError($"{name}: expected a whole number ≥ {minimum}, got '{text}'.");
        return minimum;
    }

    private static int Positive(ArgumentResult result, string name)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= 1)
        {
            return value;
        }

        result.AddError($"{name}: expected a whole number ≥ 1, got '{text}'.");
        return 0;
    }

    private static T[] List<T>(ArgumentResult result, string name, Func<string, T> parse, Func<T, bool> valid, string expected)
    {
        string text = string.Join(",", result.Tokens.Select(t => t.Value));
        var values = new List<T>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            T value;
            try
            {
                value = parse(part);
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                result.AddError($"{name}: '{part}' is not one of the expected values ({expected}).");
                return [];
            }

            if (!valid(value))
            {
                result.AddError($"{name}: '{part}' is not one of the expected values ({expected}).");
                return [];
            }

            values.Add(value);
        }

        return [.. values];
    }
}
