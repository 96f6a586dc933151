using System.Diagnostics;
using System.Globalization;

namespace MLNet.KnnLinear.Benchmarks;

/// <summary>
/// Approximate search against exact search on the CIFAR-derived set (129,088 rows: the 8,068 shared training
/// images × 8 shifts of up to 3 pixels, edge pixels repeated, × 2 horizontal flips; <see cref="AnnData"/>), queries the
/// 1,017 test images, k = 10, L2. Set A: raw pixels (3,072); set B: 4 × 4 average-pooled pixels (192). For the
/// inverted file: build time, memory, and batch queries per second at the smallest number of probes reaching
/// recall@10 ≥ 0.90 / 0.95 / 0.99 against our exact search; the same for HNSW (M 32, efConstruction 64) over efSearch;
/// then reference/ann_reference.py measures faiss' IndexFlatL2, IndexIVFFlat and IndexHNSWFlat on the same data (the
/// same generator in numpy) in the same run.
/// A stopwatch harness, not BenchmarkDotNet: a recall sweep is one build and many searches.
/// Set B1M: set B plus 7 noisy copies of every row (1,032,704 rows), ours only; B10M: 77 copies (10,068,864 rows),
/// ours only, its truth from exact searches of slices, and probes up to 64.
/// <c>ann-sq8</c> does the same for 8-bit scalar quantization: the exact index of codes (recall and q/s) and the
/// inverted file of codes (residuals, as faiss' default) over nprobe, and on set B the HNSW graph of codes over
/// efSearch, beside faiss' IndexScalarQuantizer, IndexIVFScalarQuantizer and IndexHNSWSQ (QT_8bit) in the same run;
/// recall is against exact search of the full rows.
/// <code>dotnet run -c Release --project tests/MLNet.KnnLinear.Benchmarks -- ann [A|B|B1M] [nlist] [data dir]</code>
/// <code>dotnet run -c Release --project tests/MLNet.KnnLinear.Benchmarks -- ann-sq8 [A|B|B1M] [nlist] [data dir]</code>
/// <c>ann-pq</c>: the inverted file of product codes (m bytes a row, residuals, faiss' IndexIVFPQ) over nprobe beside
/// faiss' IndexIVFPQ(nlist, m, 8) in the same run; PQ tops out below recall 0.95 on these sets, so the sweep runs the
/// whole ladder and prints the best recall.
/// A fifth argument re-ranks k × that factor of the codes' candidates on the rows (<c>RefineFactor</c>), beside
/// faiss' IndexRefineFlat around its IndexIVFPQ with the same k_factor.
/// <code>dotnet run -c Release --project tests/MLNet.KnnLinear.Benchmarks -- ann-pq [A|B|B1M|B10M] [nlist] [data dir] [m] [refine factor]</code>
/// </summary>
public static class AnnRecallRun
{
    private static readonly int[] ProbeSweep = [1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256];
    private static readonly double[] RecallTargets = [0.90, 0.95, 0.99];
    private static readonly int[] EfSweep = [16, 32, 64, 128, 256, 512];

    public static int Run(string[] args)
    {
        string set = args.Length > 1 ? args[1].ToUpperInvariant() : "B";
        int lists = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1024;
        string dataDir = args.Length > 3 ? args[3] : Environment.GetEnvironmentVariable("CIFAR10_DIR") ?? Path.GetFullPath("../shared/data/cifar-10-batches-bin");
        var (rows, queries, d) = AnnData.Load(dataDir, pooled: set != "A");
        if (set == "B1M")
        {
            // A million rows: set B's 129,088 and 7 noisy copies of each (±2 per value, seeded), 1,032,704 in all.
            rows = AnnData.WithNoisyCopies(rows, copies: 7, seed: 1);
        }

        if (set == "B10M")
        {
            // Ten million rows: set B's 129,088 and 77 noisy copies of each (±2 per value, seeded), 10,068,864 in all
            // (1.93 × 10⁹ floats, one array); the truth from exact searches of 1,032,704-row slices, merged.
            rows = AnnData.WithNoisyCopies(rows, copies: 77, seed: 1);
        }

        int n = rows.Length / d;
        int q = queries.Length / d;
        const int k = 10;
        Console.WriteLine($"set {set}: {n:N0} rows × {d}, {q:N0} queries, k = {k}, L2, {Environment.ProcessorCount} threads");

        var watch = Stopwatch.StartNew();
        var truthRows = new int[q * k];
        var truthDistances = new float[q * k];
        if (set == "B10M")
        {
            SlicedTruth(rows, queries, d, k, truthRows);
            Console.WriteLine($"ours exact ({(n + 1_032_703) / 1_032_704} slices of at most 1,032,704 rows, merged): {watch.Elapsed.TotalSeconds:F0} s");
        }
        else
        {
            var exact = NeighborIndex.Build(rows, d, KnnDistance.L2);
            exact.Search(queries, k, truthRows, truthDistances); // lays the rows out
            watch.Restart();
            exact.Search(queries, k, truthRows, truthDistances);
            double exactSeconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine($"ours exact: {q / exactSeconds:N0} q/s, {exact.SizeInBytes / 1e6:N0} MB");
            exact = null;
            GC.Collect();
        }

        int subquantizers = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 96;
        float? refine = args.Length > 5 ? float.Parse(args[5], CultureInfo.InvariantCulture) : null;
        if (args[0] == "ann-sq8")
        {
            RunScalarQuantized(rows, queries, d, lists, truthRows, k);
        }
        else if (args[0] == "ann-pq")
        {
            watch.Restart();
            var ivf = NeighborIndex.Build(rows, d, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = lists, NumberOfProbes = 1, Encoding = new ProductQuantizerEncoding { Subquantizers = subquantizers }, RefineFactor = refine });
            string name = $"IVF{lists},PQ{subquantizers}{(refine is { } f ? $",RFlat×{f}" : string.Empty)}";
            Console.WriteLine($"ours {name}: build {watch.Elapsed.TotalSeconds:F1} s, {ivf.SizeInBytes / 1e6:N0} MB before the first search");
            Sweep(ivf, name, "nprobe", ProbeSweep.Where(p => p <= lists && (set != "B10M" || p <= 64)), queries, truthRows, k, set is "B1M" or "B10M" ? 129_088 : null);
            Console.WriteLine($"ours {name}: {ivf.SizeInBytes / 1e6:N0} MB after the sweep (with the lists' precomputed tables)");
        }
        else
        {
            RunFullRows(rows, queries, d, lists, truthRows, k);
        }

        string script = Path.Combine(AppContext.BaseDirectory, "reference", "ann_reference.py");
        if (set is not ("B1M" or "B10M") && File.Exists("/usr/bin/python3") && File.Exists(script))
        {
            Console.WriteLine("faiss, same data, same run:");
            string encoding = args[0] switch { "ann-sq8" => "sq8", "ann-pq" => "pq", _ => "flat" };
            var start = new ProcessStartInfo("/usr/bin/python3", $"\"{script}\" {set} {lists} \"{dataDir}\" {encoding} {subquantizers} {refine?.ToString(CultureInfo.InvariantCulture) ?? string.Empty}") { RedirectStandardOutput = false };
            using var process = Process.Start(start)!;
            process.WaitForExit();
        }

        return 0;
    }

    /// <summary>
    /// Each query's k nearest rows by exact search of slices of at most 1,032,704 rows (an exact index of all ten
    /// million would be a second 7.7 GB copy), merged by (squared distance, row).
    /// </summary>
    private static void SlicedTruth(float[] rows, float[] queries, int d, int k, int[] truth)
    {
        const int sliceRows = 1_032_704;
        int n = rows.Length / d;
        int q = queries.Length / d;
        var best = Enumerable.Range(0, q).Select(_ => new List<(float Distance, int Row)>()).ToArray();
        var found = new int[q * k];
        var distances = new float[q * k];
        for (int first = 0; first < n; first += sliceRows)
        {
            int count = Math.Min(sliceRows, n - first);
            var slice = NeighborIndex.Build(rows.AsSpan((int)((long)first * d), count * d), d, KnnDistance.L2);
            slice.Search(queries, k, found, distances);
            for (int i = 0; i < q * k; i++)
            {
                best[i / k].Add((distances[i], first + found[i]));
            }
        }

        for (int i = 0; i < q; i++)
        {
            var top = best[i].OrderBy(b => b.Distance).ThenBy(b => b.Row).Take(k).ToArray();
            for (int j = 0; j < k; j++)
            {
                truth[(i * k) + j] = top[j].Row;
            }
        }
    }

    /// <summary>The exact index and the inverted file of 8-bit codes: build, memory, recall and q/s.</summary>
    private static void RunScalarQuantized(float[] rows, float[] queries, int d, int lists, int[] truthRows, int k)
    {
        var watch = Stopwatch.StartNew();
        if (d <= 1024)
        {
            // Set B only, as faiss' side (faiss scans codes a query at a time: minutes on 3,072 pixels).
            var exact = NeighborIndex.Build(rows, d, KnnDistance.L2, new ExactIndexOptions { Encoding = new ScalarQuantizerEncoding() });
            Console.WriteLine($"ours exact SQ8: build {watch.Elapsed.TotalSeconds:F1} s, {exact.SizeInBytes / 1e6:N0} MB");
            Sweep(exact, "exact SQ8", "-", [0], queries, truthRows, k);
            exact = null;
            GC.Collect();
        }

        watch.Restart();
        var ivf = NeighborIndex.Build(rows, d, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = lists, NumberOfProbes = 1, Encoding = new ScalarQuantizerEncoding() });
        Console.WriteLine($"ours IVF{lists},SQ8: build {watch.Elapsed.TotalSeconds:F1} s, {ivf.SizeInBytes / 1e6:N0} MB");
        Sweep(ivf, $"IVF{lists},SQ8", "nprobe", ProbeSweep.Where(p => p <= lists), queries, truthRows, k);
        ivf = null;
        GC.Collect();
        if (d <= 1024)
        {
            // The graph of codes on set B, as faiss' side (an HNSW build on 3,072 pixels takes minutes there).
            watch.Restart();
            var hnsw = NeighborIndex.Build(rows, d, KnnDistance.L2, new HnswIndexOptions { MaxConnections = 32, ConstructionSearchSize = 64, SearchSize = 16, Encoding = new ScalarQuantizerEncoding() });
            Console.WriteLine($"ours HNSW32,SQ8 (efConstruction 64): build {watch.Elapsed.TotalSeconds:F1} s, {hnsw.SizeInBytes / 1e6:N0} MB");
            Sweep(hnsw, "HNSW32,SQ8", "efSearch", EfSweep, queries, truthRows, k);
        }
    }

    private static void RunFullRows(float[] rows, float[] queries, int d, int lists, int[] truthRows, int k)
    {
        var watch = Stopwatch.StartNew();
        NeighborIndex? ivf = NeighborIndex.Build(rows, d, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = lists, NumberOfProbes = 1 });
        double build = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"ours IVF{lists}: build {build:F1} s, {ivf.SizeInBytes / 1e6:N0} MB");
        Sweep(ivf, $"IVF{lists}", "nprobe", ProbeSweep.Where(p => p <= lists), queries, truthRows, k);

        ivf = null;
        GC.Collect();
        watch.Restart();
        var hnsw = NeighborIndex.Build(rows, d, KnnDistance.L2, new HnswIndexOptions { MaxConnections = 32, ConstructionSearchSize = 64, SearchSize = 16 });
        Console.WriteLine($"ours HNSW32 (efConstruction 64): build {watch.Elapsed.TotalSeconds:F1} s, {hnsw.SizeInBytes / 1e6:N0} MB");
        Sweep(hnsw, "HNSW32", "efSearch", EfSweep, queries, truthRows, k);
    }

    /// <summary>
    /// Recall@k and batch queries per second (searches repeated for at least a second, after one warm-up) at each
    /// search size until recall reaches 0.995, then the smallest size reaching each target.
    /// </summary>
    /// <param name="index">The index swept.</param>
    /// <param name="name">Its name in the output.</param>
    /// <param name="sizeName">What its search size is.</param>
    /// <param name="sizes">The search sizes.</param>
    /// <param name="queries">The queries.</param>
    /// <param name="truth">The exact neighbours.</param>
    /// <param name="k">Neighbours per query.</param>
    /// <param name="sources">
    /// For sets of noisy copies (B1M, B10M): the rows of the original set. Their exact neighbours are mostly copies of
    /// one image, told apart only by the noise, so recall is also printed by source image: the share of found rows
    /// that are copies of an image among the exact neighbours' images.
    /// </param>
    private static void Sweep(NeighborIndex index, string name, string sizeName, IEnumerable<int> sizes, float[] queries, int[] truth, int k, int? sources = null)
    {
        int q = truth.Length / k;
        var found = new int[q * k];
        var distances = new float[q * k];
        var results = new List<(int Size, double Recall, double Qps)>();
        double best = 0;
        foreach (int size in sizes)
        {
            if (size > 0)
            {
                index.SetSearchSize(size);
            }

            index.Search(queries, k, found, distances);
            var watch = Stopwatch.StartNew();
            int repeats = 0;
            do
            {
                index.Search(queries, k, found, distances);
                repeats++;
            }
            while (watch.Elapsed.TotalSeconds < 1.0);
            double qps = q * repeats / watch.Elapsed.TotalSeconds;
            double recall = Recall(truth, found, k);
            results.Add((size, recall, qps));
            best = Math.Max(best, recall);
            string bySource = sources is int n ? $", by source image {Recall(truth.Select(r => r % n).ToArray(), found.Select(r => r < 0 ? -1 : r % n).ToArray(), k):F3}" : string.Empty;
            Console.WriteLine($"  {sizeName} {size,3}: recall@10 {recall:F3}{bySource}, {qps:N0} q/s");
            if (recall >= 0.995)
            {
                break;
            }
        }

        foreach (double target in RecallTargets)
        {
            int at = results.FindIndex(r => r.Recall >= target);
            var hit = at < 0 ? default : results[at];
            Console.WriteLine(at < 0 ? $"ours {name} at recall ≥ {target:F2}: not reached" : $"ours {name} at recall ≥ {target:F2}: {sizeName} {hit.Size}, {hit.Qps:N0} q/s (recall {hit.Recall:F3})");
        }

        Console.WriteLine($"ours {name}: best recall@10 {best:F3}");
    }

    private static double Recall(int[] truth, int[] found, int k)
    {
        int hits = 0;
        var expected = new HashSet<int>();
        for (int q = 0; q < truth.Length / k; q++)
        {
            expected.Clear();
            expected.UnionWith(truth.AsSpan(q * k, k).ToArray());
            for (int i = 0; i < k; i++)
            {
                hits += expected.Contains(found[(q * k) + i]) ? 1 : 0;
            }
        }

        return (double)hits / truth.Length;
    }
}
