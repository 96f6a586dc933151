using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using MLNet.KnnLinear;
using MLNet.KnnLinear.SimilaritySearch;
using Spectre.Console;

// Find similar images: every image of FOLDER → features (HoG + colour histograms, or raw pixels) → a NeighborIndex
// (exact, inverted file or HNSW graph), saved in faiss' format beside files.txt; then each query's nearest images,
// as a table and as neighbours.png. `--load-index DIR` searches a saved index again without re-reading the folder.
// `--help` lists the options and their defaults.
const int ThumbnailSide = 64;
var command = ExampleOptions.CreateCommand(Run);
return command.Parse(args).Invoke();

int Run(ExampleOptions options)
{
    var ml = new MLContext(seed: options.Seed);
    if (options.ExportCifar10 is { } exportDirectory)
    {
        return MLNet.KnnLinear.Examples.CifarExport.Run(ml, options.Data, exportDirectory, options.PerClass);
    }

    string outputDirectory = Path.GetFullPath(options.Output);
    NeighborIndex index;
    string[] files;
    IndexSettings settings;
    if (options.LoadIndex is { } loadDirectory)
    {
        if (!string.IsNullOrEmpty(options.Folder))
        {
            AnsiConsole.MarkupLine($"[red]FOLDER {Markup.Escape(options.Folder)} and --load-index {Markup.Escape(loadDirectory)}:[/] give one (a folder to index, or a saved index to search).");
            return 1;
        }

        string saved = Path.GetFullPath(loadDirectory);
        if (!Directory.Exists(saved))
        {
            AnsiConsole.MarkupLine($"[red]--load-index {Markup.Escape(loadDirectory)}:[/] {Markup.Escape(saved)} is not a folder.");
            return 1;
        }

        try
        {
            (index, files, settings) = AnsiConsole.Status().Start($"Loading the index in {Markup.Escape(saved)}", status =>
            {
                return IndexFiles.Load(saved);
            });
        }
        catch (Exception e) when (e is InvalidDataException or IOException or JsonException)
        {
            AnsiConsole.MarkupLine($"[red]--load-index {Markup.Escape(loadDirectory)}:[/] {Markup.Escape(e.Message)}");
            return 1;
        }

        AnsiConsole.MarkupLine($"Loaded [bold]{Markup.Escape(saved)}[/]: {index.Count:N0} images, {settings.Index} index, {settings.Features} features ({settings.Dimension} values) of {settings.Size}×{settings.Size} images.");
    }
    else
    {
        if (string.IsNullOrEmpty(options.Folder))
        {
            AnsiConsole.MarkupLine("[red]FOLDER is missing:[/] give a folder of images to index (or [bold]--load-index DIR[/] to search a saved index, or [bold]--export-cifar10 DIR[/] to make a folder from CIFAR-10).");
            return 1;
        }

        string root = Path.GetFullPath(options.Folder);
        if (!Directory.Exists(root))
        {
            AnsiConsole.MarkupLine($"[red]FOLDER {Markup.Escape(options.Folder)}:[/] {Markup.Escape(root)} is not a folder.");
            return 1;
        }

        files = ImageFeatures.List(root, outputDirectory);
        if (files.Length == 0)
        {
            AnsiConsole.MarkupLine($"[red]FOLDER {Markup.Escape(options.Folder)}:[/] no images (png, jpg, jpeg, bmp) in {Markup.Escape(root)} or its subfolders.");
            return 1;
        }

        // Exact search compares a query with every image: instant for thousands. Beyond that an HNSW graph finds
        // nearly the same neighbours in a fraction of the comparisons.
        string kind = options.Index == "auto" ? (files.Length > 5000 ? "hnsw" : "exact") : options.Index;
        var watch = Stopwatch.StartNew();
        float[] indexRows;
        int dimension;
        try
        {
            (indexRows, dimension) = AnsiConsole.Status().Start($"Reading and featurizing {files.Length:N0} images", status =>
            {
                return ImageFeatures.Compute(ml, files, options.Features, options.Size);
            });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Most likely an image that cannot be decoded; ML.NET's message says which.
            AnsiConsole.MarkupLine($"[red]Reading or featurizing the images of {Markup.Escape(root)} failed:[/] {Markup.Escape(e.Message)}{(e.InnerException is { } inner ? " " + Markup.Escape(inner.Message) : string.Empty)}");
            return 1;
        }

        double featureSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        index = AnsiConsole.Status().Start($"Building the {kind} index", status =>
        {
            return NeighborIndex.Build(indexRows, dimension, KnnDistance.L2, IndexOptions(kind, options.Seed, dimension));
        });
        double buildSeconds = watch.Elapsed.TotalSeconds;
        settings = new IndexSettings(options.Features, options.Size, kind, files.Length, dimension);
        Directory.CreateDirectory(outputDirectory);
        IndexFiles.Save(outputDirectory, index, files, settings);
        AnsiConsole.MarkupLine($"Indexed {files.Length:N0} images of [bold]{Markup.Escape(root)}[/]: {options.Features} features ({dimension} values each) in {featureSeconds:F2} s, {kind} index (L2) in {buildSeconds:F2} s, {index.SizeInBytes / 1024.0:N0} KB. Saved as {IndexFiles.IndexFile}, {IndexFiles.FilesFile} and {IndexFiles.SettingsFile} in [bold]{Markup.Escape(outputDirectory)}[/]");
    }

    // The queries: --query files, then --query-count random images of the index (seeded).
    var queries = new List<string>();
    foreach (string query in options.Queries)
    {
        string full = Path.GetFullPath(query);
        if (!File.Exists(full))
        {
            AnsiConsole.MarkupLine($"[red]--query {Markup.Escape(query)}:[/] {Markup.Escape(full)} is not a file.");
            return 1;
        }

        queries.Add(full);
    }

    if (options.QueryCount > files.Length)
    {
        AnsiConsole.MarkupLine($"[red]--query-count {options.QueryCount}:[/] the index holds only {files.Length:N0} images.");
        return 1;
    }

    int randomQueries = options.QueryCount ?? (queries.Count == 0 ? Math.Min(5, files.Length) : 0);
    int[] order = Enumerable.Range(0, files.Length).ToArray();
    new Random(options.Seed).Shuffle(order);
    queries.AddRange(order.Take(randomQueries).Select(i => files[i]));

    string? gone = queries.FirstOrDefault(q => !File.Exists(q));
    if (gone is not null)
    {
        AnsiConsole.MarkupLine($"[red]{Markup.Escape(gone)}[/] is in {IndexFiles.FilesFile} but no longer exists: index the folder again.");
        return 1;
    }

    // The queries are featurized exactly as the index rows were (the same settings, no fitted state).
    float[] queryRows;
    try
    {
        (queryRows, _) = ImageFeatures.Compute(ml, queries, settings.Features, settings.Size);
    }
    catch (Exception e) when (e is not OperationCanceledException)
    {
        AnsiConsole.MarkupLine($"[red]Reading or featurizing the queries failed:[/] {Markup.Escape(e.Message)}{(e.InnerException is { } inner ? " " + Markup.Escape(inner.Message) : string.Empty)}");
        return 1;
    }

    // One more neighbour than asked: a query that is itself in the index finds itself (distance 0), and is left out.
    int k = options.K;
    int ask = k + 1;
    var ids = new long[queries.Count * ask];
    var distances = new float[queries.Count * ask];
    index.Search(queryRows, ask, ids, distances);

    var results = new List<(string Query, List<(int Row, float Distance)> Neighbours)>();
    for (int q = 0; q < queries.Count; q++)
    {
        int self = Array.IndexOf(files, queries[q]);
        var neighbours = new List<(int Row, float Distance)>();
        for (int j = 0; j < ask && neighbours.Count < k; j++)
        {
            long id = ids[(q * ask) + j];
            if (id >= 0 && id != self)   // −1: fewer rows than asked for
            {
                neighbours.Add(((int)id, distances[(q * ask) + j]));
            }
        }

        results.Add((queries[q], neighbours));
    }

    var table = new Table().AddColumns("query", "rank", "neighbour", "distance (L2)");
    foreach (var (query, neighbours) in results)
    {
        for (int n = 0; n < neighbours.Count; n++)
        {
            table.AddRow(n == 0 ? Markup.Escape(Describe(query)) : string.Empty, (n + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(Describe(files[neighbours[n].Row])), neighbours[n].Distance.ToString("F3", CultureInfo.InvariantCulture));
        }
    }

    AnsiConsole.Write(table);

    string[] pictured = results.SelectMany(r => r.Neighbours.Select(n => files[n.Row]).Prepend(r.Query)).Distinct().ToArray();
    gone = pictured.FirstOrDefault(p => !File.Exists(p));
    if (gone is not null)
    {
        AnsiConsole.MarkupLine($"[red]{Markup.Escape(gone)}[/] is in {IndexFiles.FilesFile} but no longer exists: index the folder again.");
        return 1;
    }

    var thumbnails = ImageFeatures.Thumbnails(ml, pictured, ThumbnailSide);
    var thumbnailOf = new Dictionary<string, float[]>();
    for (int i = 0; i < pictured.Length; i++)
    {
        thumbnailOf[pictured[i]] = thumbnails[i];
    }

    var gridRows = results.Select(r => new NeighbourRow(thumbnailOf[r.Query], r.Neighbours.Select(n => new NeighbourTile(thumbnailOf[files[n.Row]], n.Distance)).ToArray())).ToArray();
    Directory.CreateDirectory(outputDirectory);
    string picture = Path.Combine(outputDirectory, "neighbours.png");
    NeighborGrid.Save(picture, ThumbnailSide, gridRows);
    AnsiConsole.MarkupLine($"Queries (blue frame) and their {k} nearest images with distances: [bold]{Markup.Escape(picture)}[/]");
    return 0;
}

// The index kinds of --index, seeded so that the same folder gives the same approximate index; "-sq8" stores the
// features as 8-bit codes (faiss' SQ8), "-pq" as product codes of a byte per 4 values (faiss' PQ, 16× less than floats).
static NeighborIndexOptions IndexOptions(string kind, int seed, int dimension)
{
    NeighborIndexEncoding? encoding = kind.EndsWith("-sq8", StringComparison.Ordinal) ? new ScalarQuantizerEncoding()
        : kind.EndsWith("-pq", StringComparison.Ordinal) ? new ProductQuantizerEncoding { Subquantizers = SubquantizersFor(dimension) }
        : null;
    return kind.Replace("-sq8", string.Empty, StringComparison.Ordinal).Replace("-pq", string.Empty, StringComparison.Ordinal) switch
    {
        "ivf" => new IvfIndexOptions { Seed = seed, Encoding = encoding },
        "hnsw" => new HnswIndexOptions { Seed = seed, Encoding = encoding },
        _ => new ExactIndexOptions { Encoding = encoding },
    };
}

// Product codes of about a byte per 4 feature values: the largest count of sub-quantizers that divides the dimension
// and is at most a quarter of it.
static int SubquantizersFor(int dimension)
{
    int most = Math.Max(1, dimension / 4);
    for (int m = most; m > 1; m--)
    {
        if (dimension % m == 0)
        {
            return m;
        }
    }

    return 1;
}

// "class/0003.png": an image's folder and name, enough to tell images apart in the table.
static string Describe(string path) => Path.Join(Path.GetFileName(Path.GetDirectoryName(path)), Path.GetFileName(path));
