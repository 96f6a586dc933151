using System.CommandLine;
using MLNet.KnnLinear.Examples;
using System.CommandLine.Parsing;
using System.Globalization;

namespace MLNet.KnnLinear.SimilaritySearch;

/// <summary>
/// The example's command line (System.CommandLine, as the CIFAR-10 example's): every option with its default in
/// --help, numbers in the invariant culture, and a bad value an error that names the option.
/// </summary>
internal sealed record ExampleOptions(
    string? Folder,
    string Output,
    int Seed,
    string Features,
    int Size,
    string Index,
    string[] Queries,
    int? QueryCount,
    int K,
    string? LoadIndex,
    string? ExportCifar10,
    int PerClass,
    string? Data)
{
    /// <summary>What --index may name; auto is HNSW above 5,000 images, else exact.</summary>
    public static readonly string[] IndexKinds = ["auto", "exact", "ivf", "hnsw", "exact-sq8", "ivf-sq8", "hnsw-sq8", "exact-pq", "ivf-pq"];

    public static RootCommand CreateCommand(Func<ExampleOptions, int> run)
    {
        var folder = new Argument<string?>("FOLDER")
        {
            Description = "The folder of images to index (png, jpg, jpeg, bmp; subfolders included).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var output = new Option<string>("--out") { Description = "Folder for neighbours.png and the saved index (index.faiss, files.txt, index.json).", DefaultValueFactory = _ => "similarity-output" };
        var seed = new Option<int>("--seed") { Description = "Seed of the MLContext, the random queries and the approximate indexes.", DefaultValueFactory = _ => 1, CustomParser = r => OptionParsers.Whole(r, "--seed", 0) };
        var features = new Option<string>("--features") { Description = $"What is compared: {ImageFeatures.Hog} (HoG + HSV colour histograms) or {ImageFeatures.Pixels} (the resized images' raw pixels).", DefaultValueFactory = _ => ImageFeatures.Hog, CustomParser = r => OneOf(r, "--features", ImageFeatures.Kinds) };
        // HoG's default 2 × 2 blocks of 8 × 8-pixel cells need images of at least 16 × 16.
        var size = new Option<int>("--size") { Description = "Images are resized to N × N pixels before featurizing (at least 16: one HoG block).", DefaultValueFactory = _ => 32, CustomParser = r => OptionParsers.Whole(r, "--size", 16) };
        var index = new Option<string>("--index") { Description = "The index: exact, ivf (inverted file), hnsw (graph), or auto (hnsw above 5,000 images, else exact); add -sq8 (exact-sq8, ivf-sq8, hnsw-sq8) to store the features as 8-bit codes, a quarter of the memory, or -pq (exact-pq, ivf-pq: at least 256 images) for product codes of a byte per 4 values, a sixteenth.", DefaultValueFactory = _ => "auto", CustomParser = r => OneOf(r, "--index", IndexKinds) };
        var query = new Option<string[]>("--query") { Description = "An image to find similar images of; repeat for more.", DefaultValueFactory = _ => [] };
        var queryCount = new Option<int?>("--query-count") { Description = "Random images of the index used as queries (default: 5 when no --query is given, else none).", CustomParser = r => OptionParsers.Whole(r, "--query-count", 1) };
        var k = new Option<int>("--k") { Description = "Neighbours shown per query.", DefaultValueFactory = _ => 8, CustomParser = r => OptionParsers.Whole(r, "--k", 1) };
        var loadIndex = new Option<string?>("--load-index") { Description = "Search an index saved by an earlier run (the --out folder holding index.faiss, files.txt, index.json) instead of indexing FOLDER." };
        var exportCifar10 = new Option<string?>("--export-cifar10") { Description = "Instead of searching: write --per-class CIFAR-10 training images of each class as DIR/<class>/<index>.png, then exit (a folder to try the example on)." };
        var perClass = new Option<int>("--per-class") { Description = "Images per class written by --export-cifar10.", DefaultValueFactory = _ => 40, CustomParser = r => OptionParsers.Whole(r, "--per-class", 1) };
        var data = new Option<string?>("--data") { Description = "For --export-cifar10: the cifar-10-batches-bin folder or cifar-10-binary.tar.gz; default: CIFAR10_DIR, else ../shared/data/cifar-10-batches-bin." };
        var command = new RootCommand("Find similar images: index a folder by HoG + colour features (or raw pixels) with a NeighborIndex, then show each query's nearest images.")
        {
            folder, output, seed, features, size, index, query, queryCount, k, loadIndex, exportCifar10, perClass, data,
        };
        command.SetAction(result => run(new ExampleOptions(
            result.GetValue(folder),
            result.GetValue(output)!,
            result.GetValue(seed),
            result.GetValue(features)!,
            result.GetValue(size),
            result.GetValue(index)!,
            result.GetValue(query) ?? [],
            result.GetValue(queryCount),
            result.GetValue(k),
            result.GetValue(loadIndex),
            result.GetValue(exportCifar10),
            result.GetValue(perClass),
            result.GetValue(data))));
        return command;
    }

    private static string OneOf(ArgumentResult result, string name, string[] allowed)
    {
        string text = OptionParsers.Token(result);
        string value = text.ToLowerInvariant();
        if (Array.IndexOf(allowed, value) >= 0)
        {
            return value;
        }

        result.AddError($"{name}: '{text}' is not one of {string.Join(", ", allowed)}.");
        return allowed[0];
    }
}
