using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Benchmarks;

/// <summary>
/// kNN Fit cold and warm against a bare cursor pass, in a fresh process: the data (CIFAR-shaped pixels as Byte or
/// Single features, cached) is read once to fill the cache, then a cursor pass is timed, then the first Fit in the
/// process (cold: JIT and first-touch included), then the best of 3 further Fits and cursor passes (warm).
/// With <c>ivf</c> as a fifth argument the model's index is an inverted file (default lists and probes), and the bytes
/// allocated on every thread by one Fit are reported beside the time.
/// <code>dotnet run -c Release --project tests/MLNet.KnnLinear.Benchmarks -- fit-cold [L1|L2|Cosine] [Byte|Single] [rows] [exact|ivf]</code>
/// <c>KNNLINEAR_FIT_PROFILE=1</c> adds a split of the fit's time; <c>KNNLINEAR_HUGE_PAGES=0</c> (Program.cs) puts byte
/// panels on 4 KiB pages to compare.
/// </summary>
public static class KnnFitColdRun
{
    public static int Run(string[] args)
    {
        var distance = args.Length > 1 ? Enum.Parse<KnnDistance>(args[1], ignoreCase: true) : KnnDistance.L2;
        var type = args.Length > 2 ? Enum.Parse<DataKind>(args[2], ignoreCase: true) : DataKind.Byte;
        int rows = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 50_000;
        bool ivf = args.Length > 4 && args[4] == "ivf";
        const int d = 3072;
        var ml = new MLContext(seed: 1);
        var pixels = BenchmarkData.Pixels(rows, d, 1);
        IDataView view = type == DataKind.Byte
            ? Load(ml, Enumerable.Range(0, rows).Select(i => new KnnFitBenchmarks.ByteRow { Label = i % 10, Features = pixels.AsSpan(i * d, d).ToArray().Select(v => (byte)v).ToArray() }).ToArray(), NumberDataViewType.Byte, d)
            : Load(ml, Enumerable.Range(0, rows).Select(i => new KnnFitBenchmarks.Row { Label = i % 10, Features = pixels.AsSpan(i * d, d).ToArray() }).ToArray(), NumberDataViewType.Single, d);
        var train = ml.Data.Cache(ml.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view));
        CursorPass(train, type); // fills the cache

        double firstPass = Time(() => CursorPass(train, type));
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        double coldFit = Time(() => Fit(ml, train, distance, ivf));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        double warmFit = Enumerable.Range(0, 3).Min(_ => Time(() => Fit(ml, train, distance, ivf)));
        double warmPass = Enumerable.Range(0, 3).Min(_ => Time(() => CursorPass(train, type)));
        if (Environment.GetEnvironmentVariable("KNNLINEAR_FIT_PROFILE") == "1")
        {
            var labelColumn = train.Schema["Label"];
            var featureColumn = train.Schema["Features"];
            for (int i = 0; i < 3; i++)
            {
                double read = Time(() => Pipeline.LabelledRows.Read(train, labelColumn, featureColumn, null, sink: _ => { }, byteSink: _ => { }));
                Search.NeighborIndexFit? fit = null;
                double readFit = Time(() =>
                {
                    // The exact index's fit (the profile splits reading from laying rows out).
                    fit = new Search.NeighborIndexFit(d, distance, new ExactIndexOptions(), rows);
                    Pipeline.LabelledRows.Read(train, labelColumn, featureColumn, null, sink: fit.Append, byteSink: fit.Append);
                });
                double build = Time(() => fit!.Build(0));
                ProfileByteLayout(pixels, rows, d);
                Console.WriteLine($"  profile: LabelledRows.Read alone {read * 1e3:F0} ms, with the index fit {readFit * 1e3:F0} ms, Build {build * 1e3:F0} ms");
            }
        }

        Console.WriteLine($"kNN Fit{(ivf ? " (inverted file)" : string.Empty)}, {distance}, {type} features, {rows:N0} rows × {d}: cursor pass {warmPass * 1e3:F0} ms warm ({firstPass * 1e3:F0} ms first); Fit cold {coldFit * 1e3:F0} ms ({coldFit / warmPass:F1}× the warm pass), warm {warmFit * 1e3:F0} ms ({warmFit / warmPass:F1}×); one Fit allocated {allocated / 1e6:N0} MB on all threads (managed); {Environment.ProcessorCount} cores");
        return 0;
    }

    /// <summary>The byte panel layout's parts from a plain byte array (no ML.NET), beside a copy into a new array.</summary>
    private static void ProfileByteLayout(float[] pixels, int rows, int d)
    {
        var bytes = pixels.Select(v => (byte)v).ToArray();
        double builder = Time(() =>
        {
            var b = new Search.BytePanelScanBuilder(d, cosine: false, rows);
            for (int r = 0; r < rows; r++)
            {
                b.Append(bytes.AsSpan(r * d, d));
            }

            b.Build();
        });
        double panels = Time(() =>
        {
            var b = new Search.BytePanels(d, rows);
            for (int r = 0; r + Search.BytePanels.PanelRows <= rows; r += Search.BytePanels.PanelRows)
            {
                b.AppendPanel(bytes.AsSpan(r * d, Search.BytePanels.PanelRows * d));
            }
        });
        long sink = 0;
        double norms = Time(() =>
        {
            for (int r = 0; r < rows; r++)
            {
                sink += Kernels.ByteSquaredNorm.Compute(bytes.AsSpan(r * d, d));
            }
        });
        double copy = Time(() => bytes.CopyTo(new byte[bytes.Length], 0));
        Console.WriteLine($"  byte layout from an array: builder {builder * 1e3:F0} ms (whole panels alone {panels * 1e3:F0} ms, norms alone {norms * 1e3:F0} ms), copy into a new array {copy * 1e3:F0} ms; huge pages {Search.ZeroedPages.MapsHugePages}{(sink < 0 ? "!" : string.Empty)}");
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    private static void Fit(MLContext ml, IDataView train, KnnDistance distance, bool ivf)
        => ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { NumberOfNeighbors = 1, Distance = distance, Index = ivf ? new IvfIndexOptions() : new ExactIndexOptions() }).Fit(train);

    private static void CursorPass(IDataView train, DataKind type) => KnnFitBenchmarks.CursorPass(train, type);

    private static IDataView Load<TRow>(MLContext ml, IEnumerable<TRow> data, PrimitiveDataViewType itemType, int d)
        where TRow : class
    {
        var schema = SchemaDefinition.Create(typeof(TRow));
        schema["Features"].ColumnType = new VectorDataViewType(itemType, d);
        return ml.Data.LoadFromEnumerable(data, schema);
    }
}
