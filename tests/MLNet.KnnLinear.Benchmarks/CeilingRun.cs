using System.Diagnostics;
using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear.Benchmarks;

/// <summary>
/// Past the old 2^31-element ceiling: an exact index or an inverted file of <c>rows</c> × 3,072 CIFAR-derived pixel
/// rows (more than 699,050 rows is more than 2^31 values), added as bytes in batches of 16,384, then searched. Rows:
/// the approximate-search benchmark's set A (<see cref="AnnData"/>, 129,088 rows), then copies of it with seeded noise
/// in [−2, 2] on every pixel (clamped to [0, 255]), generated batch by batch so the benchmark holds set A's bytes and
/// one batch. Reports add and search time, the index's bytes, and the process's peak working set while indexing
/// (sampled every 50 ms), beside the row bytes. The exact index's neighbours of the first queries are checked against
/// a plain int64 scan of every row; the inverted file's recall@10 is measured against the exact index of the same
/// rows when both fit (<c>both</c>). <c>l1</c> builds an exact L1 index of the same rows (byte rows in chunks).
/// <c>ivf-sq8</c> and <c>both-sq8</c> build the inverted file of 8-bit residual codes instead
/// (<see cref="ScalarQuantizerEncoding"/>), and report recall at nprobe 16, 32 and 64.
/// <c>ivf-pq</c> and <c>both-pq</c> build the inverted file of product codes (m bytes a row, residuals; m the fourth
/// argument, default 96); a fifth argument re-ranks k × that factor of their candidates on the rows as they are
/// (<see cref="NeighborIndexOptions.RefineFactor"/>: the index then also keeps the row bytes). <c>both-pq</c> then runs
/// faiss' IndexIVFPQ of the same rows and m (reference/ceiling_pq_reference.py) for its recall beside ours.
/// <code>dotnet run -c Release --project tests/MLNet.KnnLinear.Benchmarks -- ceiling [exact|ivf|both|l1|ivf-sq8|both-sq8|ivf-pq|both-pq] [rows] [data dir] [m] [refine factor]</code>
/// </summary>
public static class CeilingRun
{
    private const int Batch = 16_384;

    public static int Run(string[] args)
    {
        string kind = args.Length > 1 ? args[1] : "exact";
        int rowCount = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 750_000;
        string dataDir = args.Length > 3 ? args[3] : Path.Combine("..", "shared", "data", "cifar-10-batches-bin");
        var (setA, queries, d) = LoadAsBytes(dataDir);
        int queryCount = 100;
        var queryFloats = queries.AsSpan(0, queryCount * d).ToArray();
        long rowBytes = (long)rowCount * d;
        Console.WriteLine($"{rowCount:N0} rows × {d} = {rowBytes:N0} values ({rowBytes / (double)int.MaxValue:F2}× 2^31), {rowBytes / 1e9:F2} GB of row bytes; {queryCount} queries, k = 10; {Environment.ProcessorCount} cores");

        long[]? exactIds = null;
        bool codes = kind.EndsWith("-sq8", StringComparison.Ordinal);
        bool productCodes = kind.EndsWith("-pq", StringComparison.Ordinal);
        int subquantizers = args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 96;
        float? refine = args.Length > 5 ? float.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture) : null;
        kind = codes ? kind[..^4] : productCodes ? kind[..^3] : kind;
        if (kind is "exact" or "both")
        {
            exactIds = RunExact(KnnDistance.L2, "exact, byte panels", setA, rowCount, d, queryFloats);
        }

        if (kind == "l1")
        {
            RunExact(KnnDistance.L1, "exact L1, byte rows in chunks", setA, rowCount, d, queryFloats);
        }

        if (kind is "ivf" or "both")
        {
            using var peak = new PeakWorkingSet();
            NeighborIndexEncoding? encoding = codes ? new ScalarQuantizerEncoding() : productCodes ? new ProductQuantizerEncoding { Subquantizers = subquantizers } : null;
            var options = new IvfIndexOptions { NumberOfLists = 256, NumberOfProbes = 16, Seed = 1, Encoding = encoding, RefineFactor = refine };
            var index = NeighborIndex.Create(d, KnnDistance.L2, options);
            var watch = Stopwatch.StartNew();
            var sample = new byte[256L * 256 * d];   // faiss' 256 training rows per list: the first 65,536 rows, as bytes
            for (long i = 0; i < sample.LongLength; i++)
            {
                sample[i] = RowValue(setA, d, i / d, (int)(i % d));
            }

            index.Train(sample);

            // The benchmark's own sample array is done with: given back to the system before the adds, as a service
            // that trains and then streams rows would (the GC otherwise keeps the 0.2 GB committed through the adds).
            sample = null!;
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            double train = watch.Elapsed.TotalSeconds;
            Console.WriteLine($"  working set after training: {WorkingSet() / 1e9:F2} GB (peak {peak.Peak / 1e9:F2} GB)");
            double add = AddAll(index, setA, rowCount, d);
            Console.WriteLine($"  working set after adding: {WorkingSet() / 1e9:F2} GB (peak {peak.Peak / 1e9:F2} GB)");
            var (search, ids) = Search(index, queryFloats);
            string recall = exactIds is null ? string.Empty : $", recall@10 {RecallAtK.Of(exactIds, ids, 10):F3} against the exact index";
            Console.WriteLine($"IVF256 (nprobe 16), {(codes ? "8-bit residual codes" : productCodes ? $"PQ{subquantizers} residual codes" : "byte lists")}{(refine is { } f ? $", re-ranked ×{f} on the row bytes" : string.Empty)}: train {train:F1} s, add {add:F1} s, search {search:F2} s ({queryCount / search:F0} q/s){recall}, index {index.SizeInBytes / 1e9:F2} GB ({index.SizeInBytes / (double)rowBytes:F3}× the row bytes), peak working set {peak.Peak / 1e9:F2} GB ({peak.Peak / (double)rowBytes:F2}× the row bytes; {peak.Start / 1e9:F2} GB before the index; the byte training sample of {256L * 256 * d / 1e9:F2} GB given back after training), GC heap committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1e9:F2} GB");
            if (exactIds is not null)
            {
                foreach (int probes in new[] { 32, 64, 128 })
                {
                    index.SetSearchSize(probes);
                    var (seconds, found) = Search(index, queryFloats);
                    Console.WriteLine($"  nprobe {probes}: recall@10 {RecallAtK.Of(exactIds, found, 10):F3}, {queryCount / seconds:F0} q/s");
                }
            }

            if (productCodes && exactIds is not null)
            {
                RunFaissProductCodes(rowCount, dataDir, subquantizers, exactIds);
            }
        }

        return 0;
    }

    /// <summary>
    /// faiss' IndexIVFPQ of the same rows and m, same run (reference/ceiling_pq_reference.py with Debian's faiss), its
    /// recall against the exact neighbours found here; skipped with a note where /usr/bin/python3 is missing.
    /// </summary>
    private static void RunFaissProductCodes(int rowCount, string dataDir, int subquantizers, long[] exactIds)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "reference", "ceiling_pq_reference.py");
        if (!File.Exists("/usr/bin/python3") || !File.Exists(script))
        {
            Console.WriteLine("faiss: not run (/usr/bin/python3 with python3-faiss, or the reference script, is missing)");
            return;
        }

        string ids = Path.Combine(Path.GetTempPath(), $"ceiling-exact-{Environment.ProcessId}.i64");
        File.WriteAllBytes(ids, System.Runtime.InteropServices.MemoryMarshal.AsBytes(exactIds.AsSpan()).ToArray());
        Console.WriteLine("faiss, same rows and queries, same run:");
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", $"\"{script}\" {rowCount} \"{Path.GetFullPath(dataDir)}\" {subquantizers} \"{ids}\""))!;
        process.WaitForExit();
        File.Delete(ids);
    }

    private static long WorkingSet()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    private static double AddAll(NeighborIndex index, byte[] setA, int rowCount, int d)
    {
        var batch = new byte[(long)Batch * d];
        var adding = new Stopwatch();
        for (int first = 0; first < rowCount; first += Batch)
        {
            int n = Math.Min(Batch, rowCount - first);
            Parallel.For(0, n, r =>
            {
                for (int k = 0; k < d; k++)
                {
                    batch[((long)r * d) + k] = RowValue(setA, d, first + r, k);
                }
            });

            adding.Start();
            index.Add(batch.AsSpan(0, n * d));
            adding.Stop();
        }

        return adding.Elapsed.TotalSeconds;
    }

    /// <summary>An exact index of the rows added in batches, searched, checked against an int64 scan; its ids for the recall of others.</summary>
    private static long[] RunExact(KnnDistance distance, string label, byte[] setA, int rowCount, int d, float[] queryFloats)
    {
        long rowBytes = (long)rowCount * d;
        int queryCount = queryFloats.Length / d;
        long[] ids;
        using (var peak = new PeakWorkingSet())
        {
            var index = NeighborIndex.Create(d, distance);
            double add = AddAll(index, setA, rowCount, d);
            (double search, ids) = Search(index, queryFloats);
            Console.WriteLine($"{label}: add {add:F1} s, search {search:F2} s ({queryCount / search:F0} q/s), index {index.SizeInBytes / 1e9:F2} GB ({index.SizeInBytes / (double)rowBytes:F3}× the row bytes), peak working set {peak.Peak / 1e9:F2} GB ({peak.Peak / (double)rowBytes:F2}× the row bytes; {peak.Start / 1e9:F2} GB before the index: the runtime, set A's bytes, the queries), GC heap committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1e9:F2} GB");
        }

        CheckAgainstScan(setA, rowCount, d, queryFloats, ids, queries: 3, l1: distance == KnnDistance.L1);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return ids;
    }

    /// <summary>Value k of row r: set A's row r mod 129,088, plus noise in [−2, 2] seeded by (copy, row, k) for copies past the first.</summary>
    private static byte RowValue(byte[] setA, int d, long row, int k)
    {
        long rows = setA.LongLength / d;
        long copy = row / rows;
        int value = setA[((row % rows) * d) + k];
        if (copy > 0)
        {
            ulong h = unchecked(((ulong)copy * 0x9E3779B97F4A7C15UL) ^ ((ulong)row * 0xBF58476D1CE4E5BUL) ^ ((ulong)k * 0x94D049BB133111EBUL));
            h ^= h >> 31;
            h = unchecked(h * 0xD6E8FEB86689UL);
            h ^= h >> 29;
            value += (int)(h % 5) - 2;
        }

        return (byte)Math.Clamp(value, 0, 255);
    }

    private static (double Seconds, long[] Ids) Search(NeighborIndex index, float[] queries)
    {
        int n = queries.Length / index.Dimension;
        var ids = new long[n * 10];
        var distances = new float[n * 10];
        index.Search(queries.AsSpan(0, index.Dimension), 10, ids.AsSpan(0, 10), distances.AsSpan(0, 10)); // lays the rows out
        var watch = Stopwatch.StartNew();
        index.Search(queries, 10, ids, distances);
        return (watch.Elapsed.TotalSeconds, ids);
    }

    /// <summary>The first queries' nearest rows by a plain int64 scan of every row (squared L2, or L1), against the index's first neighbour.</summary>
    private static void CheckAgainstScan(byte[] setA, int rowCount, int d, float[] queryValues, long[] ids, int queries, bool l1)
    {
        var watch = Stopwatch.StartNew();
        var best = Enumerable.Repeat((Squared: long.MaxValue, Row: -1L), queries).ToArray();
        var gate = new object();
        Parallel.For(0, (rowCount + Batch - 1) / Batch, () => Enumerable.Repeat((long.MaxValue, -1L), queries).ToArray(), (chunk, _, local) =>
        {
            var row = new int[d];
            for (long r = (long)chunk * Batch; r < Math.Min(rowCount, ((long)chunk + 1) * Batch); r++)
            {
                for (int k = 0; k < d; k++)
                {
                    row[k] = RowValue(setA, d, r, k);
                }

                for (int q = 0; q < queries; q++)
                {
                    long squared = 0;
                    for (int k = 0; k < d; k++)
                    {
                        long diff = (long)queryValues[(q * d) + k] - row[k];
                        squared += l1 ? Math.Abs(diff) : diff * diff;
                    }

                    if (squared < local[q].Item1)
                    {
                        local[q] = (squared, r);
                    }
                }
            }

            return local;
        }, local =>
        {
            lock (gate)
            {
                for (int q = 0; q < queries; q++)
                {
                    if (best[q].Row < 0 || local[q].Item1 < best[q].Squared || (local[q].Item1 == best[q].Squared && local[q].Item2 < best[q].Row))
                    {
                        best[q] = (local[q].Item1, local[q].Item2);
                    }
                }
            }
        });

        for (int q = 0; q < queries; q++)
        {
            Console.WriteLine($"  query {q}: int64 scan of every row: nearest row {best[q].Row} at {(l1 ? "L1" : "squared")} distance {best[q].Squared}; the index: row {ids[q * 10]} ({(best[q].Row == ids[q * 10] ? "same" : "DIFFERENT")})");
        }

        Console.WriteLine($"  (scan {watch.Elapsed.TotalSeconds:F0} s)");
    }

    private static (byte[] Rows, float[] Queries, int Dimension) LoadAsBytes(string dataDir)
    {
        var (rows, queries, d) = AnnData.Load(dataDir, pooled: false);
        var bytes = new byte[rows.LongLength];
        WholeNumbers.ToBytes(rows, bytes);

        return (bytes, queries, d);
    }

    /// <summary>The process's largest working set while it lives, sampled every 50 ms.</summary>
    private sealed class PeakWorkingSet : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _sampler;
        private long _peak;

        public PeakWorkingSet()
        {
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            using (var self = Process.GetCurrentProcess())
            {
                Start = self.WorkingSet64;
            }

            _sampler = new Thread(() =>
            {
                using var process = Process.GetCurrentProcess();
                while (!_stop.IsCancellationRequested)
                {
                    process.Refresh();
                    Interlocked.Exchange(ref _peak, Math.Max(Interlocked.Read(ref _peak), process.WorkingSet64));
                    Thread.Sleep(50);
                }
            }) { IsBackground = true };
            _sampler.Start();
        }

        public long Peak => Interlocked.Read(ref _peak);

        /// <summary>The working set when sampling started (the runtime, set A's bytes and the queries).</summary>
        public long Start { get; }

        public void Dispose()
        {
            _stop.Cancel();
            _sampler.Join();
            _stop.Dispose();
        }
    }
}
