using System.Diagnostics;
using System.Globalization;

namespace MLNet.KnnLinear.Benchmarks;

/// <summary>
/// Indexes that grow, on the approximate-search benchmark's CIFAR-derived set B (<see cref="AnnData"/>: 129,088 rows of
/// 4 × 4 average-pooled pixels, 192 values; queries the 1,017 test images; k = 10, L2): for the inverted file and
/// HNSW, recall@10 against exact search of (1) one build of all rows, (2) a build of the first 90 % followed by
/// <c>Add</c> of the last 10 %, each at the same search sizes; then (3) the one-build index after <c>Remove</c> of
/// every tenth id, against exact search of the rows that remain, checking that no removed id comes back.
/// A stopwatch harness: one build and a few searches per line.
/// <code>dotnet run -c Release --project tests/MLNet.KnnLinear.Benchmarks -- growth [nlist] [data dir]</code>
/// </summary>
public static class GrowthRecallRun
{
    private const int K = 10;

    public static int Run(string[] args)
    {
        int lists = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1024;
        string dataDir = args.Length > 2 ? args[2] : Environment.GetEnvironmentVariable("CIFAR10_DIR") ?? Path.GetFullPath("../shared/data/cifar-10-batches-bin");
        var (rows, queries, d) = AnnData.Load(dataDir, pooled: true);
        int n = rows.Length / d;
        int head = n * 9 / 10;
        Console.WriteLine($"set B: {n:N0} rows × {d}, {queries.Length / d:N0} queries, k = {K}, L2; 90 % = {head:N0} rows, then {n - head:N0} added; {Environment.ProcessorCount} threads");

        var truth = Search(NeighborIndex.Build(rows, d, KnnDistance.L2), queries, 0);
        var removedIds = Enumerable.Range(0, n).Where(i => i % 10 == 3).Select(i => (long)i).ToArray();
        var kept = Enumerable.Range(0, n).Where(i => i % 10 != 3).ToArray();
        var keptRows = new float[(long)kept.Length * d];
        for (int i = 0; i < kept.Length; i++)
        {
            rows.AsSpan(kept[i] * d, d).CopyTo(keptRows.AsSpan(i * d, d));
        }

        var keptTruth = Search(NeighborIndex.Build(keptRows, d, KnnDistance.L2), queries, 0).Select(r => r < 0 ? -1 : (long)kept[r]).ToArray();

        Compare($"IVF{lists}", new IvfIndexOptions { NumberOfLists = lists, NumberOfProbes = 1 }, [8, 16, 32], "nprobe");
        Compare("HNSW32", new HnswIndexOptions { MaxConnections = 32, ConstructionSearchSize = 64, SearchSize = 16 }, [32, 64, 128], "efSearch");
        return 0;

        void Compare(string name, NeighborIndexOptions options, int[] sizes, string sizeName)
        {
            var watch = Stopwatch.StartNew();
            var whole = NeighborIndex.Build(rows, d, KnnDistance.L2, options);
            double wholeSeconds = watch.Elapsed.TotalSeconds;
            watch.Restart();
            var grown = NeighborIndex.Build(rows.AsSpan(0, head * d), d, KnnDistance.L2, options);
            double headSeconds = watch.Elapsed.TotalSeconds;
            watch.Restart();
            grown.Add(rows.AsSpan(head * d));
            grown.Search(queries.AsSpan(0, d), K, new long[K], new float[K]); // lays out what the add left pending
            double addSeconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine($"{name}: one build of {n:N0} rows {wholeSeconds:F1} s; build of {head:N0} {headSeconds:F1} s + add of {n - head:N0} {addSeconds:F1} s");
            var before = new Dictionary<int, double>();
            foreach (int size in sizes)
            {
                double a = before[size] = RecallAtK.Of(truth, Search(whole, queries, size), K);
                double b = RecallAtK.Of(truth, Search(grown, queries, size), K);
                Console.WriteLine($"  {sizeName} {size,3}: recall@10 one build {a:F4}, 90 % + 10 % added {b:F4} (difference {b - a:+0.0000;-0.0000})");
            }

            watch.Restart();
            long removed = whole.Remove(removedIds);
            Console.WriteLine($"  removed {removed:N0} ids (every tenth) in {watch.Elapsed.TotalMilliseconds:F0} ms; recall on the rest against exact search of the rows that remain:");
            var removedSet = removedIds.ToHashSet();
            foreach (int size in sizes)
            {
                var found = Search(whole, queries, size);
                int returned = found.Count(removedSet.Contains);
                Console.WriteLine($"  {sizeName} {size,3}: recall@10 before removal {before[size]:F4}, after (on the rest) {RecallAtK.Of(keptTruth, found, K):F4}; removed ids returned: {returned}");
            }
        }
    }

    private static long[] Search(NeighborIndex index, float[] queries, int size)
    {
        if (size > 0)
        {
            index.SetSearchSize(size);
        }

        var ids = new long[queries.Length / index.Dimension * K];
        index.Search(queries, K, ids, new float[ids.Length]);
        return ids;
    }
}
