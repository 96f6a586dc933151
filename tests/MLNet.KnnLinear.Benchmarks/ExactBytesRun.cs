using System.Diagnostics;
using System.Runtime.InteropServices;
using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear.Benchmarks;

/// <summary>
/// Exact L2 over pixel bytes beside faiss' IndexFlatL2 in the same run: the first rows of the approximate-search
/// benchmark's set A (CIFAR-derived, 3,072 pixels; <see cref="AnnData"/>) and the first test images as queries, k = 1.
/// Ours: the rows held as bytes (byte panels, integer kernel), and the float GEMM panels they were held in before;
/// build, the first search in the process (cold) and the best of 3 after it (warm), and the memory held. Then
/// reference/exact_l2_reference.py times faiss on the same rows as float32 (written to a temporary file).
/// <code>dotnet run -c Release --project tests/MLNet.KnnLinear.Benchmarks -- exact-bytes [rows] [queries] [data dir]</code>
/// </summary>
public static class ExactBytesRun
{
    public static int Run(string[] args)
    {
        int rowCount = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50_000;
        int queryCount = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1_000;
        string dataDir = args.Length > 3 ? args[3] : Path.Combine("..", "shared", "data", "cifar-10-batches-bin");
        var (allRows, allQueries, d) = AnnData.Load(dataDir, pooled: false);
        var rows = allRows.AsSpan(0, rowCount * d).ToArray();
        var queries = allQueries.AsSpan(0, queryCount * d).ToArray();
        allRows = null!;
        var rowBytes = new byte[rows.Length];
        WholeNumbers.ToBytes(rows, rowBytes);
        Console.WriteLine($"exact L2, {rowCount:N0} rows × {d} (set A), {queryCount:N0} queries, k = 1; {RuntimeInformation.ProcessArchitecture}, {Environment.ProcessorCount} cores, byte kernel {Kernels.ByteDotTile.Path}, float kernel {Kernels.DotTile.Path}");

        var watch = Stopwatch.StartNew();
        var bytes = NeighborIndex.Create(d, KnnDistance.L2);
        bytes.Add(rowBytes);
        double build = watch.Elapsed.TotalSeconds;
        var (cold, warm, found) = Time(bytes, queries);
        Console.WriteLine($"ours, byte panels : add {build:F2} s, search cold {cold:F3} s, warm {warm:F3} s (best of 3), {bytes.SizeInBytes / 1e6:N0} MB");
        bytes = null!;
        GC.Collect();

        watch.Restart();
        var builder = new GemmScanBuilder(d, cosine: false, rowCount);
        for (int r = 0; r < rowCount; r++)
        {
            builder.Append(rows.AsSpan(r * d, d));
        }

        var floats = new FlatIndex(builder.Build(), rowCount, d, KnnDistance.L2, maxThreads: 0);
        build = watch.Elapsed.TotalSeconds;
        var floatQueries = queries;
        var floatFound = new int[queryCount];
        var floatDistances = new float[queryCount];
        floats.Search(floatQueries, 1, floatDistances, floatFound);
        double best = double.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            watch.Restart();
            floats.Search(floatQueries, 1, floatDistances, floatFound);
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        Console.WriteLine($"ours, float panels: build {build:F2} s, search warm {best:F3} s (best of 3), {floats.MemoryBytes / 1e6:N0} MB; same neighbours as byte panels: {floatFound.SequenceEqual(found.Select(f => (int)f))}");
        floats = null!;
        GC.Collect();

        string script = Path.Combine(AppContext.BaseDirectory, "reference", "exact_l2_reference.py");
        string rowsFile = Path.GetTempFileName();
        string queriesFile = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(rowsFile, MemoryMarshal.AsBytes(rows.AsSpan()).ToArray());
            File.WriteAllBytes(queriesFile, MemoryMarshal.AsBytes(queries.AsSpan()).ToArray());
            Console.WriteLine("faiss, same data, same run:");
            using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", $"\"{script}\" \"{rowsFile}\" \"{queriesFile}\" {d}"))!;
            process.WaitForExit();
            return process.ExitCode;
        }
        finally
        {
            File.Delete(rowsFile);
            File.Delete(queriesFile);
        }
    }

    private static (double Cold, double Warm, long[] Found) Time(NeighborIndex index, float[] queries)
    {
        int n = queries.Length / index.Dimension;
        var ids = new long[n];
        var distances = new float[n];
        var watch = Stopwatch.StartNew();
        index.Search(queries, 1, ids, distances);
        double cold = watch.Elapsed.TotalSeconds;
        double warm = double.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            watch.Restart();
            index.Search(queries, 1, ids, distances);
            warm = Math.Min(warm, watch.Elapsed.TotalSeconds);
        }

        return (cold, warm, ids);
    }
}
