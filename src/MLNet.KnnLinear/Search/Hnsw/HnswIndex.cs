using System.Numerics.Tensors;
using MLNet.KnnLinear.Kernels;
using MLNet.KnnLinear.Pipeline;
using MLNet.KnnLinear.Search.Quantization;

namespace MLNet.KnnLinear.Search.Hnsw;

/// <summary>
/// A hierarchical navigable small-world graph (Malkov and Yashunin; faiss' <c>IndexHNSWFlat</c> layout): node i has a
/// top layer levels[i]; its links are slots from offsets[i]: 2M on layer 0, then M per higher layer, −1 after the
/// last link. Links are chosen with the paper's heuristic (a candidate is kept only if it is nearer to the node than
/// to every neighbour already kept). Rows are inserted in batches of a size fixed by position: each batch searches the
/// graph as it stood before it (in parallel), links each new row to those results and to the batch's earlier rows,
/// then adds the reverse links target by target (in parallel, in row order), so the graph never depends on the thread
/// count. Candidates are ranked by (distance, row), so ties are deterministic too. Cosine rows are stored unit length.
/// With a scalar quantizer (faiss' <c>IndexHNSWSQ</c>) the nodes are 8-bit codes: a query is compared with a code by
/// the fused decoding kernel (<see cref="CodeDistance"/>), and two nodes by decoding one of them.
/// </summary>
internal sealed partial class HnswIndex : INeighborIndex
{
    private const int MaxLayer = 15;
    private const int MaxBatch = 256;

    private readonly RowStore<float> _rows;

    /// <summary>The nodes' codes, where the graph holds codes (then <see cref="_rows"/> stays empty).</summary>
    private readonly RowStore<byte>? _codes;
    private int[] _levels;
    private long[] _offsets;
    private int[] _links;
    private readonly int _maxThreads;
    private readonly System.Collections.Concurrent.ConcurrentBag<Visited> _searchMarks = [];

    /// <summary>Threads a call uses at most now: this index's own limit (0: none) within <see cref="KnnLinearParallelism.MaxDegreeOfParallelism"/>.</summary>
    private int MaxThreads => KnnLinearParallelism.ThreadsFor(_maxThreads);

    [ThreadStatic]
    private static float[]? t_decodedQuery;

    [ThreadStatic]
    private static float[]? t_decodedNode;

    private HnswIndex(RowStore<float> rows, int dimension, KnnDistance distance, int m, int efConstruction, int efSearch, int[] levels, int[] links, int entry, int maxThreads, int seed = 1, RowStore<byte>? codes = null, ScalarQuantizer? quantizer = null)
    {
        Seed = seed;
        _rows = rows;
        _codes = codes;
        Quantizer = quantizer;
        Dimension = dimension;
        Distance = distance;
        M = m;
        ConstructionSearchSize = efConstruction;
        SearchSize = efSearch;
        _levels = levels;
        Count = levels.Length;
        _offsets = new long[Count + 1];
        for (int i = 0; i < Count; i++)
        {
            _offsets[i + 1] = _offsets[i] + (2L * m) + ((long)levels[i] * m);
        }

        _links = links ?? new int[_offsets[Count]];
        if (links is null)
        {
            Array.Fill(_links, -1);
        }

        Entry = entry;
        MaxLevel = Count == 0 ? -1 : levels[entry];
        _maxThreads = Math.Max(0, maxThreads);
    }

    public int Dimension { get; }

    public int Count { get; private set; }

    public KnnDistance Distance { get; }

    /// <summary>The seed of the level draws (of rows added later too); 1 for a graph read from a file.</summary>
    public int Seed { get; }

    public int M { get; }

    public int ConstructionSearchSize { get; }

    /// <summary>efSearch; set between searches, not during one.</summary>
    public int SearchSize { get; set; }

    /// <summary>A copy that searches with efSearch = <paramref name="searchSize"/>, sharing the rows and the graph with this one.</summary>
    public HnswIndex WithSearchSize(int searchSize)
    {
        var copy = (HnswIndex)MemberwiseClone();
        copy.SearchSize = searchSize;
        return copy;
    }

    public int Entry { get; private set; }

    public int MaxLevel { get; private set; }

    /// <summary>Top layer of every node.</summary>
    public ReadOnlySpan<int> Levels => _levels;

    /// <summary>Every node's link slots (see the class summary), −1 padded.</summary>
    public ReadOnlySpan<int> Links => _links;

    /// <summary>The stored rows (unit length for cosine), in chunks of native memory (not bound by one array's 2^31 values).</summary>
    public RowStore<float> StoredRows => _rows;

    /// <summary>The nodes' 8-bit codes, where the graph holds codes; else null.</summary>
    public RowStore<byte>? StoredCodes => _codes;

    /// <summary>The scalar quantizer of the nodes' codes; null when the graph holds rows as they are.</summary>
    public ScalarQuantizer? Quantizer { get; }

    public long MemoryBytes => _rows.MemoryBytes + (_codes?.MemoryBytes ?? 0) + (Quantizer?.MemoryBytes ?? 0) + (4L * _links.Length) + (12L * Count);

    public static HnswIndex Build(ReadOnlySpan<float> rows, int dimension, KnnDistance distance, HnswIndexOptions options, int maxThreads)
    {
        var stored = new RowStore<float>(dimension, rows.Length / dimension);
        stored.Reserve(rows.Length / dimension);
        for (int r = 0; r < rows.Length / dimension; r++)
        {
            stored.Append(rows.Slice(r * dimension, dimension));
        }

        return Build(stored, distance, options, maxThreads);
    }

    /// <summary>A graph over the rows of <paramref name="stored"/>, which it takes (scaling them to unit length in place for cosine).</summary>
    public static HnswIndex Build(RowStore<float> stored, KnnDistance distance, HnswIndexOptions options, int maxThreads)
    {
        int count = stored.Count;
        int dimension = stored.Dimension;
        if (distance == KnnDistance.Cosine)
        {
            for (int r = 0; r < count; r++)
            {
                UnitRows.Normalize(stored.MutableRow(r), dimension);
            }
        }

        int seed = options.Seed ?? 1;
        var levels = DrawLevels(count, options.MaxConnections, new Random(seed));
        RowStore<byte>? codes = null;
        ScalarQuantizer? quantizer = null;
        if (options.IsScalarQuantized)
        {
            // Ranges trained on every row (unit length already for cosine), then each row encoded; the floats go.
            var training = new ScalarQuantizerTraining(dimension, unitRows: false);
            stored.ForEachChunk(training.AddRows);
            quantizer = training.ToQuantizer();
            codes = new RowStore<byte>(dimension, count);
            var code = new byte[dimension];
            for (int r = 0; r < count; r++)
            {
                quantizer.Encode(stored.Row(r), code);
                codes.Append(code);
            }

            GC.KeepAlive(stored);
            stored = new RowStore<float>(dimension, 0);
        }

        var index = new HnswIndex(stored, dimension, distance, options.MaxConnections, options.ConstructionSearchSize, options.SearchSize, levels, null!, 0, maxThreads, seed, codes, quantizer);
        index.Insert();
        return index;
    }

    /// <summary>An empty graph with these options; rows come through <see cref="Add"/>.</summary>
    /// <param name="dimension">Values per row.</param>
    /// <param name="distance">The distance.</param>
    /// <param name="options">The graph's options.</param>
    /// <param name="maxThreads">The most threads a call uses (0: no limit of its own).</param>
    /// <param name="quantizer">Nodes are stored as its codes; null: as rows.</param>
    public static HnswIndex Create(int dimension, KnnDistance distance, HnswIndexOptions options, int maxThreads, ScalarQuantizer? quantizer = null)
        => new(new RowStore<float>(dimension, 0), dimension, distance, options.MaxConnections, options.ConstructionSearchSize, options.SearchSize, [], null!, 0, maxThreads, options.Seed ?? 1, quantizer is null ? null : new RowStore<byte>(dimension, 0), quantizer);

    /// <summary>
    /// Inserts <paramref name="rows"/> as nodes Count, Count + 1, …, in the same position-sized batches as a build (so
    /// the graph is deterministic whatever the thread count); their levels are drawn from a generator seeded by
    /// <see cref="Seed"/> and the number of rows already in. The arrays grow by copying (the cost of one pass over
    /// the graph per call: add in large batches). Not thread-safe with searches.
    /// </summary>
    public void Add(ReadOnlySpan<float> rows)
    {
        int first = Count;
        int added = rows.Length / Dimension;
        int total = checked(first + added);
        _rows.Reserve(added);
        _codes?.Reserve(added);
        try
        {
            AppendStored(rows);
        }
        catch
        {
            TruncateStored(first);
            throw;
        }

        var levels = new int[total];
        _levels.CopyTo(levels, 0);
        // From an empty graph the draws are the build's (Create + Add(all rows) is Build); later batches get a
        // generator of their own, seeded by where they start, so the same adds give the same graph.
        DrawLevels(added, M, first == 0 ? new Random(Seed) : new Random(unchecked((Seed * 1_000_003) + first))).CopyTo(levels, first);
        var offsets = new long[total + 1];
        for (int i = 0; i < total; i++)
        {
            offsets[i + 1] = offsets[i] + (2L * M) + ((long)levels[i] * M);
        }

        var links = new int[offsets[total]];
        _links.CopyTo(links, 0);
        links.AsSpan(_links.Length).Fill(-1);
        var before = (_levels, _offsets, _links, Count, Entry, MaxLevel);
        (_levels, _offsets, _links, Count) = (levels, offsets, links, total);
        try
        {
            InsertFrom(first);
        }
        catch
        {
            // Cancelled (or failed) part-way: the new rows' links are in the new arrays only, so the graph as it was
            // comes back whole (its rows cut back to the old count) and the add has not happened.
            (_levels, _offsets, _links, Count, Entry, MaxLevel) = before;
            TruncateStored(first);
            throw;
        }
    }

    /// <summary>Stores <paramref name="rows"/> as nodes, each scaled to unit length for cosine (and encoded, where the graph holds codes).</summary>
    private void AppendStored(ReadOnlySpan<float> rows)
    {
        int dimension = Dimension;
        var unit = Distance == KnnDistance.Cosine ? new float[dimension] : null;
        var code = _codes is null ? null : new byte[dimension];
        for (int r = 0; r < rows.Length / dimension; r++)
        {
            var row = rows.Slice(r * dimension, dimension);
            if (unit is not null)
            {
                row.CopyTo(unit);
                UnitRows.Normalize(unit, dimension);
                row = unit;
            }

            if (code is not null)
            {
                Quantizer!.Encode(row, code);
                _codes!.Append(code);
            }
            else
            {
                _rows.Append(row);
            }
        }
    }

    /// <summary>Forgets the stored nodes from <paramref name="count"/> on (an add that failed part-way).</summary>
    private void TruncateStored(int count)
    {
        if (_codes is not null)
        {
            _codes.Truncate(count);
        }
        else
        {
            _rows.Truncate(count);
        }
    }

    /// <summary>An index from stored parts (a model file or a faiss file); the caller has checked their consistency.</summary>
    public static HnswIndex FromParts(float[] rows, int dimension, KnnDistance distance, int m, int efConstruction, int efSearch, int[] levels, int[] links, int entry, int maxThreads)
        => FromParts(RowStore<float>.CopyOf(rows, dimension), distance, m, efConstruction, efSearch, levels, links, entry, maxThreads);

    /// <summary>A graph of codes from stored parts (a model file or a faiss file); the caller has checked their consistency.</summary>
    public static HnswIndex FromCodes(RowStore<byte> codes, ScalarQuantizer quantizer, KnnDistance distance, int m, int efConstruction, int efSearch, int[] levels, int[] links, int entry, int maxThreads)
        => new(new RowStore<float>(codes.Dimension, 0), codes.Dimension, distance, m, efConstruction, efSearch, levels, links, entry, maxThreads, codes: codes, quantizer: quantizer);

    /// <summary>An index from stored parts whose rows are already in a store (which it takes).</summary>
    public static HnswIndex FromParts(RowStore<float> rows, KnnDistance distance, int m, int efConstruction, int efSearch, int[] levels, int[] links, int entry, int maxThreads)
        => new(rows, rows.Dimension, distance, m, efConstruction, efSearch, levels, links, entry, maxThreads);

    /// <summary>The slot count node layouts need: offsets as faiss computes them (2M on layer 0, M per higher layer).</summary>
    public static long SlotCount(ReadOnlySpan<int> levels, int m)
    {
        long slots = 0;
        foreach (int level in levels)
        {
            slots += (2L * m) + ((long)level * m);
        }

        return slots;
    }

    public void CopyRow(int row, Span<float> destination)
    {
        if (_codes is not null)
        {
            Quantizer!.Decode(_codes.Row(row), destination);
            GC.KeepAlive(_codes);
            return;
        }

        _rows.Row(row).CopyTo(destination);
        GC.KeepAlive(_rows);
    }

    public void Search(ReadOnlySpan<float> queries, int k, Span<float> distances, Span<int> rows, RemovedRows? removed = null)
    {
        int queryCount = queries.Length / Dimension;
        if (Count == 0)
        {
            rows[..(queryCount * k)].Fill(-1);
            distances[..(queryCount * k)].Fill(float.PositiveInfinity);
            return;
        }

        removed = removed is { Count: > 0 } ? removed : null;
        var foundRows = new int[queryCount * k];
        var foundDistances = new float[queryCount * k];
        var queryArray = queries.ToArray();
        int threads = Math.Clamp(queryCount / 4, 1, MaxThreads);
        ParallelRanges.Run(threads, t =>
        {
            var visited = RentSearchMarks();
            var query = new float[Dimension];
            for (int q = (int)((long)queryCount * t / threads); q < (int)((long)queryCount * (t + 1) / threads); q++)
            {
                if ((q & 63) == 0)
                {
                    Cancellation.ThrowIfRequested();
                }

                queryArray.AsSpan(q * Dimension, Dimension).CopyTo(query);
                if (Distance == KnnDistance.Cosine)
                {
                    UnitRows.Normalize(query, Dimension);
                }

                var best = SearchOne(query, Math.Max(SearchSize, k), visited, removed);
                for (int i = 0; i < k; i++)
                {
                    foundRows[(q * k) + i] = i < best.Count ? best[i].Id : -1;
                    foundDistances[(q * k) + i] = i < best.Count ? best[i].D : float.PositiveInfinity;
                }
            }

            _searchMarks.Add(visited);
        });

        foundRows.CopyTo(rows);
        foundDistances.CopyTo(distances);
    }

    private List<(float D, int Id)> SearchOne(float[] query, int ef, Visited visited, RemovedRows? removed)
    {
        int entry = Entry;
        float d = Dist(entry, query);
        for (int layer = MaxLevel; layer >= 1; layer--)
        {
            (d, entry) = Greedy(query, d, entry, layer);
        }

        return SearchLayer(query, [(d, entry)], ef, 0, visited, removed);
    }

    private float Dist(int node, ReadOnlySpan<float> query)
    {
        if (_codes is not null)
        {
            var code = _codes.Row(node);
            var quantizer = Quantizer!;
            return Distance == KnnDistance.L2
                ? MathF.Sqrt(CodeDistance.SquaredL2(query, code, quantizer.Middle, quantizer.Step))
                : 1f - CodeDistance.Dot(query, code, quantizer.Middle, quantizer.Step);
        }

        var row = _rows.Row(node);
        return Distance switch
        {
            KnnDistance.L2 => TensorPrimitives.Distance(row, query),
            KnnDistance.L1 => L1Distance.Compute(row, query),
            _ => 1f - TensorPrimitives.Dot(row, query),
        };
    }

    /// <summary>Node <paramref name="node"/> as a query (decoded into this thread's query buffer, where the graph holds codes).</summary>
    private ReadOnlySpan<float> Row(int node) => _codes is null ? _rows.Row(node) : Decoded(node, ref t_decodedQuery);

    /// <summary>The distance between two nodes: <paramref name="node"/> against <paramref name="other"/> as a query (decoded into a buffer of its own where the graph holds codes).</summary>
    private float PairDist(int node, int other) => Dist(node, _codes is null ? _rows.Row(other) : Decoded(other, ref t_decodedNode));

    private ReadOnlySpan<float> Decoded(int node, ref float[]? buffer)
    {
        buffer ??= new float[Dimension];
        if (buffer.Length != Dimension)
        {
            buffer = new float[Dimension];
        }

        CopyRow(node, buffer);
        return buffer;
    }

    private Span<int> Slots(int node, int layer)
        => _links.AsSpan((int)(_offsets[node] + (layer == 0 ? 0 : (2L * M) + ((layer - 1L) * M))), layer == 0 ? 2 * M : M);

    private (float D, int Id) Greedy(ReadOnlySpan<float> query, float d, int node, int layer)
    {
        bool moved = true;
        while (moved)
        {
            moved = false;
            foreach (int next in Slots(node, layer))
            {
                if (next < 0)
                {
                    break;
                }

                float dn = Dist(next, query);
                if (dn < d || (dn == d && next < node))
                {
                    (d, node) = (dn, next);
                    moved = true;
                }
            }
        }

        return (d, node);
    }

    /// <summary>
    /// The ef nearest nodes reachable on <paramref name="layer"/> from <paramref name="entries"/>, ascending by
    /// (distance, row). Removed nodes (hnswlib's marked deletions) are walked through as candidates, so the graph
    /// keeps its paths, but never enter the results.
    /// </summary>
    private List<(float D, int Id)> SearchLayer(ReadOnlySpan<float> query, List<(float D, int Id)> entries, int ef, int layer, Visited visited, RemovedRows? removed = null)
    {
        visited.Next();
        var candidates = new PriorityQueue<int, (float, int)>(Nearer.Instance);
        var results = new PriorityQueue<int, (float, int)>(Farther.Instance);
        foreach (var (d, id) in entries)
        {
            if (visited.Mark(id))
            {
                candidates.Enqueue(id, (d, id));
                if (removed is null || !removed.Contains(id))
                {
                    results.Enqueue(id, (d, id));
                    if (results.Count > ef)
                    {
                        results.Dequeue();
                    }
                }
            }
        }

        while (candidates.TryDequeue(out int current, out var priority))
        {
            results.TryPeek(out _, out var worst);
            if (results.Count >= ef && Nearer.Instance.Compare(priority, worst) > 0)
            {
                break;
            }

            foreach (int next in Slots(current, layer))
            {
                if (next < 0)
                {
                    break;
                }

                if (!visited.Mark(next))
                {
                    continue;
                }

                float d = Dist(next, query);
                if (results.Count < ef || Nearer.Instance.Compare((d, next), worst) < 0)
                {
                    candidates.Enqueue(next, (d, next));
                    if (removed is null || !removed.Contains(next))
                    {
                        results.Enqueue(next, (d, next));
                        if (results.Count > ef)
                        {
                            results.Dequeue();
                        }
                    }

                    results.TryPeek(out _, out worst);
                }
            }
        }

        var found = new List<(float D, int Id)>(results.Count);
        while (results.TryDequeue(out int id, out var p))
        {
            found.Add((p.Item1, id));
        }

        found.Reverse();
        return found;
    }

    /// <summary>The paper's heuristic: in ascending order, keep a candidate only if it is nearer to the node than to every kept one.</summary>
    private List<int> SelectNeighbors(List<(float D, int Id)> candidates, int capacity)
    {
        var kept = new List<int>(capacity);
        foreach (var (d, id) in candidates)
        {
            if (kept.Count >= capacity)
            {
                break;
            }

            bool good = true;
            foreach (int other in kept)
            {
                if (PairDist(other, id) < d)
                {
                    good = false;
                    break;
                }
            }

            if (good)
            {
                kept.Add(id);
            }
        }

        return kept;
    }

    private static int[] DrawLevels(int count, int m, Random random)
    {
        double scale = 1 / Math.Log(m);
        var levels = new int[count];
        for (int i = 0; i < count; i++)
        {
            levels[i] = Math.Min(MaxLayer, (int)(-Math.Log(1 - random.NextDouble()) * scale));
        }

        return levels;
    }

    /// <summary>
    /// Visited marks for a search, reused across calls: one array of a stamp per node would otherwise be allocated
    /// per call and thread, which for a prediction engine's one-row calls is most of its work at 100,000 rows. Marks
    /// sized before an <c>Add</c> are dropped.
    /// </summary>
    private Visited RentSearchMarks()
    {
        while (_searchMarks.TryTake(out var marks))
        {
            if (marks.Capacity >= Count)
            {
                return marks;
            }
        }

        return new Visited(Count);
    }

    /// <summary>Per-thread visited marks: a generation stamp per node, so clearing is O(1).</summary>
    private sealed class Visited(int count)
    {
        private readonly int[] _stamps = new int[count];
        private int _generation;

        public int Capacity => _stamps.Length;

        public void Next()
        {
            if (++_generation == int.MaxValue)
            {
                Array.Clear(_stamps);
                _generation = 1;
            }
        }

        /// <summary>Marks <paramref name="node"/>; false when it was already marked in this generation.</summary>
        public bool Mark(int node)
        {
            if (_stamps[node] == _generation)
            {
                return false;
            }

            _stamps[node] = _generation;
            return true;
        }
    }

    private sealed class Nearer : IComparer<(float D, int Id)>
    {
        public static readonly Nearer Instance = new();

        public int Compare((float D, int Id) x, (float D, int Id) y) => x.D != y.D ? x.D.CompareTo(y.D) : x.Id.CompareTo(y.Id);
    }

    private sealed class Farther : IComparer<(float D, int Id)>
    {
        public static readonly Farther Instance = new();

        public int Compare((float D, int Id) x, (float D, int Id) y) => Nearer.Instance.Compare(y, x);
    }
}
