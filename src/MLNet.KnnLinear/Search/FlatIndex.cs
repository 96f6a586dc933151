using MLNet.KnnLinear.Pipeline;
using MLNet.KnnLinear.Search.Quantization;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// Exact search by comparing each query with every row (faiss's <c>IndexFlat</c>). The rows are laid out for the
/// metric when the first search needs them, as bytes when every value is a whole number in [0, 255] (raw pixels: L2
/// and cosine as byte panels, <see cref="BytePanelScan"/>; L1 as byte rows, <see cref="ByteL1Scan"/>), else as
/// floats (GEMM panels, <see cref="GemmScan"/>; <see cref="FloatL1Scan"/>).
/// Work is split over threads by rows when there are many (each thread keeps its own top-k lists, merged at the
/// end; this is what lets a single query use every core), else by queries. Results do not depend on the split:
/// candidates are ranked by (distance, row number).
/// </summary>
/// <remarks>
/// Cost: O(queries × rows × dimension). Adding rows is not thread-safe; searching is, once all rows are added.
/// L2 distances are ranked as squared distances and reported as their square roots.
/// </remarks>
internal sealed class FlatIndex : INeighborIndex
{
    private const int MinRowsPerThread = 4096;

    private readonly int _maxThreads;

    /// <summary>Threads a call uses at most now: this index's own limit (0: none) within <see cref="KnnLinearParallelism.MaxDegreeOfParallelism"/>.</summary>
    private int MaxThreads => KnnLinearParallelism.ThreadsFor(_maxThreads);
    private readonly object _layoutLock = new();
    private FlatIndexBuilder? _pending;
    private DistanceScan? _scan;
    private readonly long _storageChunkBytes = BytePanels.ChunkBytes;

    /// <param name="dimension">Features per row.</param>
    /// <param name="distance">The distance searched by.</param>
    /// <param name="maxThreads">The most threads a search uses (0: no limit of its own).</param>
    /// <param name="storageChunkBytes">The most bytes one chunk of byte panels holds (an inverted file's lists use small chunks: they grow a batch at a time).</param>
    /// <param name="quantizer">Rows are stored as its 8-bit codes and searched on them (L2 and cosine); null: as they are.</param>
    public FlatIndex(int dimension, KnnDistance distance, int maxThreads = 0, long storageChunkBytes = BytePanels.ChunkBytes, ScalarQuantizer? quantizer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (!Enum.IsDefined(distance))
        {
            throw new ArgumentOutOfRangeException(nameof(distance), distance, "Unknown distance.");
        }

        Dimension = dimension;
        Distance = distance;
        // More threads than cores only adds partitions to merge.
        _maxThreads = Math.Max(0, maxThreads);
        _storageChunkBytes = storageChunkBytes;
        Quantizer = quantizer;
        _pending = new FlatIndexBuilder(dimension, distance, expectedRows: 0, storageChunkBytes, quantizer);
    }

    /// <summary>The scalar quantizer whose codes hold the rows; null when rows are held as they are.</summary>
    public ScalarQuantizer? Quantizer { get; }

    /// <summary>An index over <paramref name="rows"/> (row-major), laid out at once without an intermediate copy.</summary>
    public FlatIndex(float[] rows, int dimension, KnnDistance distance, int maxThreads = 0)
        : this(dimension, distance, maxThreads)
    {
        if (rows.Length % dimension != 0)
        {
            throw new ArgumentException($"Row data length {rows.Length} is not a multiple of the dimension {dimension}.", nameof(rows));
        }

        Count = rows.Length / dimension;
        _scan = CreateScan(rows);
        _pending = null;
    }

    /// <summary>An L1 index over pixel rows already held as bytes (row-major), copied into its chunked store.</summary>
    public FlatIndex(byte[] rows, int dimension, int maxThreads = 0)
        : this(dimension, KnnDistance.L1, maxThreads)
    {
        if (rows.Length % dimension != 0)
        {
            throw new ArgumentException($"Row data length {rows.Length} is not a multiple of the dimension {dimension}.", nameof(rows));
        }

        Count = rows.Length / dimension;
        _scan = new ByteL1Scan(RowStore<byte>.CopyOf(rows, dimension));
        _pending = null;
    }

    /// <summary>An index over the rows a <see cref="FlatIndexBuilder"/> laid out.</summary>
    internal FlatIndex(DistanceScan scan, int count, int dimension, KnnDistance distance, int maxThreads, long storageChunkBytes = BytePanels.ChunkBytes)
        : this(dimension, distance, maxThreads, storageChunkBytes, (scan as ScalarQuantizedScan)?.Quantizer)
    {
        Count = count;
        _scan = scan;
        _pending = null;
    }

    public int Dimension { get; }

    public int Count { get; private set; }

    public KnnDistance Distance { get; }

    /// <summary>Whether the rows are held as bytes (raw pixel data detected at layout: L1's byte rows, L2's and cosine's byte panels).</summary>
    public bool StoresBytes => EnsureLayout() is ByteL1Scan or BytePanelScan;

    /// <summary>Row <paramref name="row"/> as bytes, where <see cref="StoresBytes"/>.</summary>
    public void CopyRow(int row, Span<byte> destination)
    {
        switch (EnsureLayout())
        {
            case ByteL1Scan l1:
                l1.Row(row).CopyTo(destination);
                GC.KeepAlive(l1); // the row is read from the scan's native memory
                break;
            case BytePanelScan panels:
                panels.Panels.CopyRow(row, destination);
                break;
            default:
                throw new InvalidOperationException("The index holds its rows as floats.");
        }
    }

    /// <summary>Bytes of memory held for the rows.</summary>
    public long MemoryBytes => Count == 0 ? 0 : EnsureLayout().MemoryBytes;

    /// <summary>Expects <paramref name="rows"/> more rows, so the storage grows once to their size (byte rows; float panels grow as before).</summary>
    public void Reserve(long rows)
    {
        lock (_layoutLock)
        {
            Reopen().Reserve(rows);
        }
    }

    /// <summary>Appends rows (a multiple of <see cref="Dimension"/> values, row-major), straight into the search layout.</summary>
    public void Add(ReadOnlySpan<float> rows)
    {
        if (rows.Length % Dimension != 0)
        {
            throw new ArgumentException($"Row data length {rows.Length} is not a multiple of the dimension {Dimension}.", nameof(rows));
        }

        lock (_layoutLock)
        {
            var builder = Reopen();
            builder.Reserve(rows.Length / Dimension);
            for (int r = 0; r < rows.Length / Dimension; r++)
            {
                builder.Append(rows.Slice(r * Dimension, Dimension));
            }

            Count = builder.Count;
        }
    }

    /// <summary>Appends byte rows (raw pixels), kept as bytes while every row is (a cancellation point every 16,384 rows).</summary>
    public void Add(ReadOnlySpan<byte> rows)
    {
        if (rows.Length % Dimension != 0)
        {
            throw new ArgumentException($"Row data length {rows.Length} is not a multiple of the dimension {Dimension}.", nameof(rows));
        }

        lock (_layoutLock)
        {
            var builder = Reopen();
            builder.Reserve(rows.Length / Dimension);
            for (int r = 0; r < rows.Length / Dimension; r++)
            {
                if (r % 16_384 == 0)
                {
                    Cancellation.ThrowIfRequested();
                }

                builder.Append(rows.Slice(r * Dimension, Dimension));
                Count = builder.Count;
            }
        }
    }

    /// <summary>
    /// The builder rows are appended to. Rare: rows added after a search; the laid-out rows go into a new builder
    /// first (as bytes where they are held so).
    /// </summary>
    private FlatIndexBuilder Reopen()
    {
        if (_pending is not null)
        {
            return _pending;
        }

        var scan = _scan!;
        _pending = new FlatIndexBuilder(Dimension, Distance, Count, _storageChunkBytes, Quantizer);
        if (scan is ScalarQuantizedScan codes)
        {
            var code = new byte[Dimension];
            for (int r = 0; r < Count; r++)
            {
                codes.CopyCode(r, code);
                _pending.AppendCode(code);
            }
        }
        else if (scan is ByteL1Scan or BytePanelScan)
        {
            var bytes = new byte[Dimension];
            for (int r = 0; r < Count; r++)
            {
                CopyRow(r, bytes);
                _pending.Append(bytes);
            }
        }
        else
        {
            var floats = new float[Dimension];
            for (int r = 0; r < Count; r++)
            {
                scan.CopyRow(r, floats);
                _pending.Append(floats);
            }
        }

        _scan = null;
        return _pending;
    }

    /// <summary>Row <paramref name="row"/> as floats (decoded, where the index holds codes).</summary>
    public void CopyRow(int row, Span<float> destination) => EnsureLayout().CopyRow(row, destination);

    /// <summary>Row <paramref name="row"/>'s 8-bit code, where the index holds codes (<see cref="Quantizer"/>).</summary>
    public void CopyCode(int row, Span<byte> destination)
        => (EnsureLayout() as ScalarQuantizedScan ?? throw new InvalidOperationException("The index holds rows, not codes.")).CopyCode(row, destination);

    /// <summary>Appends codes of <see cref="Quantizer"/> as they are (row-major; a file's or model's codes).</summary>
    public void AddCodes(ReadOnlySpan<byte> codes)
    {
        lock (_layoutLock)
        {
            var builder = Reopen();
            builder.Reserve(codes.Length / Dimension);
            for (int r = 0; r < codes.Length / Dimension; r++)
            {
                builder.AppendCode(codes.Slice(r * Dimension, Dimension));
            }

            Count = builder.Count;
        }
    }

    public void Search(ReadOnlySpan<float> queries, int k, Span<float> distances, Span<int> rows, RemovedRows? removed = null)
    {
        int queryCount = CheckSearch(queries, k);
        if (distances.Length < queryCount * k)
        {
            throw new ArgumentException($"Result buffers must hold {queryCount * k} values.", nameof(distances));
        }

        var keys = new double[queryCount * k];
        SearchKeys(queries, k, keys, rows, removed);
        for (int i = 0; i < keys.Length; i++)
        {
            distances[i] = rows[i] < 0 ? float.PositiveInfinity : ToDistance(Distance, keys[i]);
        }
    }

    /// <summary>
    /// As <see cref="Search"/>, but gives each neighbour's ranking key instead of its distance: the squared distance
    /// for L2 (exact for whole-number pixel data), the sum for L1, 1 − cosine similarity for cosine. Indexes built from
    /// several flat indexes (the inverted file) merge on these keys: distinct keys can round to the same float
    /// distance (squared L2 of pixel rows is about 10^7, past float's 2^24), so merging on rounded distances would lose
    /// their order. Where fewer than k rows are there to find (k above the row count, or rows removed), row −1 and
    /// key +∞ fill the rest.
    /// </summary>
    /// <param name="queries">The queries, row-major.</param>
    /// <param name="k">Neighbours per query, at least 1.</param>
    /// <param name="keys">Receives queries × k ranking keys.</param>
    /// <param name="rows">Receives queries × k row positions.</param>
    /// <param name="removed">Rows never returned; null when none are removed.</param>
    /// <param name="rowNumbers">The row number of each position, where <paramref name="removed"/> holds row numbers of a larger index (an inverted list's rows); null when positions are the row numbers.</param>
    /// <param name="refineCodes">Codes: give the rows found keys computed over their decoded rows (<see cref="ScalarQuantizedScan.Refine"/>); false leaves the expanded keys, for a caller that refines only its final results (an inverted file).</param>
    public void SearchKeys(ReadOnlySpan<float> queries, int k, Span<double> keys, Span<int> rows, RemovedRows? removed = null, int[]? rowNumbers = null, bool refineCodes = true)
    {
        int queryCount = CheckSearch(queries, k);
        if (keys.Length < queryCount * k || rows.Length < queryCount * k)
        {
            throw new ArgumentException($"Result buffers must hold {queryCount * k} values.");
        }

        if (Count == 0)
        {
            keys[..(queryCount * k)].Fill(double.PositiveInfinity);
            rows[..(queryCount * k)].Fill(-1);
            return;
        }

        var scan = EnsureLayout();
        var exactFor = new bool[queryCount];
        int exact = 0;
        for (int q = 0; q < queryCount; q++)
        {
            exactFor[q] = scan.IsExactFor(queries.Slice(q * Dimension, Dimension));
            exact += exactFor[q] ? 1 : 0;
        }

        if (exact == 0 || exact == queryCount)
        {
            using (var prepared = scan.Prepare(queries, queryCount))
            {
                SearchPrepared(scan, prepared, k, keys, rows, removed, rowNumbers);
            }

            // Codes are ranked on expanded float keys; the rows found get keys computed directly.
            if (refineCodes && scan is ScalarQuantizedScan codes)
            {
                codes.Refine(queries, queryCount, k, keys, rows);
            }
            return;
        }

        // A batch mixing queries the scan can rank exactly (whole numbers) with others: each group is searched on its
        // own, so a query's neighbours never depend on the other queries that share its batch.
        foreach (bool mode in (ReadOnlySpan<bool>)[true, false])
        {
            int n = mode ? exact : queryCount - exact;
            var members = new int[n];
            var group = new float[(long)n * Dimension];
            for (int q = 0, m = 0; q < queryCount; q++)
            {
                if (exactFor[q] == mode)
                {
                    queries.Slice(q * Dimension, Dimension).CopyTo(group.AsSpan(m * Dimension, Dimension));
                    members[m++] = q;
                }
            }

            var groupKeys = new double[n * k];
            var groupRows = new int[n * k];
            using (var prepared = scan.Prepare(group, n))
            {
                SearchPrepared(scan, prepared, k, groupKeys, groupRows, removed, rowNumbers);
            }

            for (int m = 0; m < n; m++)
            {
                groupKeys.AsSpan(m * k, k).CopyTo(keys.Slice(members[m] * k, k));
                groupRows.AsSpan(m * k, k).CopyTo(rows.Slice(members[m] * k, k));
            }
        }
    }

    /// <summary>The distance a ranking key stands for: the square root for L2 (ranked squared), the key itself otherwise.</summary>
    public static float ToDistance(KnnDistance distance, double key)
        => (float)(distance == KnnDistance.L2 ? Math.Sqrt(key) : key);

    private int CheckSearch(ReadOnlySpan<float> queries, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (queries.Length % Dimension != 0)
        {
            throw new ArgumentException($"Query data length {queries.Length} is not a multiple of the dimension {Dimension}.", nameof(queries));
        }

        return queries.Length / Dimension;
    }

    private void SearchPrepared(DistanceScan scan, PreparedQueries prepared, int k, Span<double> keys, Span<int> rows, RemovedRows? removed, int[]? rowNumbers)
    {
        Cancellation.ThrowIfRequested();
        int rowSplits = Math.Clamp(Count / MinRowsPerThread, 1, MaxThreads);
        var results = rowSplits > 1
            ? SearchSplittingRows(scan, prepared, k, rowSplits, removed, rowNumbers)
            : SearchSplittingQueries(scan, prepared, k, removed, rowNumbers);

        for (int q = 0; q < prepared.Count; q++)
        {
            int found = results[q].CopySorted(keys.Slice(q * k, k), rows.Slice(q * k, k));
            keys.Slice((q * k) + found, k - found).Fill(double.PositiveInfinity);
            rows.Slice((q * k) + found, k - found).Fill(-1);
        }
    }

    private TopKSelector[] SearchSplittingQueries(DistanceScan scan, PreparedQueries queries, int k, RemovedRows? removed, int[]? rowNumbers)
    {
        var selectors = NewSelectors(queries.Count, k, removed, rowNumbers);
        int splits = Math.Clamp(queries.Count / 8, 1, MaxThreads);
        ParallelRanges.Run(splits, split =>
        {
            int begin = (int)((long)queries.Count * split / splits);
            int end = (int)((long)queries.Count * (split + 1) / splits);
            scan.Scan(queries, begin, end, 0, Count, selectors.AsSpan(begin, end - begin).ToArray());
        });
        return selectors;
    }

    private TopKSelector[] SearchSplittingRows(DistanceScan scan, PreparedQueries queries, int k, int splits, RemovedRows? removed, int[]? rowNumbers)
    {
        var partial = new TopKSelector[splits][];
        int alignment = scan.RowAlignment;
        ParallelRanges.Run(splits, split =>
        {
            int begin = AlignedBoundary(split, splits, alignment);
            int end = AlignedBoundary(split + 1, splits, alignment);
            var selectors = NewSelectors(queries.Count, k, removed, rowNumbers);
            scan.Scan(queries, 0, queries.Count, begin, end, selectors);
            partial[split] = selectors;
        });

        var merged = partial[0];
        var d = new double[k];
        var r = new int[k];
        for (int split = 1; split < splits; split++)
        {
            for (int q = 0; q < queries.Count; q++)
            {
                int n = partial[split][q].CopySorted(d, r);
                for (int i = 0; i < n; i++)
                {
                    merged[q].Add(d[i], r[i]);
                }
            }
        }

        return merged;
    }

    private int AlignedBoundary(int split, int splits, int alignment)
    {
        if (split == splits)
        {
            return Count;
        }

        long boundary = (long)Count * split / splits;
        return (int)Math.Min(Count, boundary / alignment * alignment);
    }

    private static TopKSelector[] NewSelectors(int count, int k, RemovedRows? removed, int[]? rowNumbers)
    {
        var selectors = new TopKSelector[count];
        for (int i = 0; i < count; i++)
        {
            selectors[i] = new TopKSelector(k, removed, rowNumbers);
        }

        return selectors;
    }

    private DistanceScan EnsureLayout()
    {
        // Laid out already (every call after the first search): no lock, so re-ranking threads reading rows do not
        // contend. Adds, which drop the layout, are not thread-safe with searches anyway.
        if (_scan is { } laidOut)
        {
            return laidOut;
        }

        lock (_layoutLock)
        {
            if (_scan is not null)
            {
                return _scan;
            }

            if (Count == 0)
            {
                throw new InvalidOperationException("The index holds no rows.");
            }

            _scan = _pending!.BuildScan();
            _pending = null;
            return _scan;
        }
    }

    private DistanceScan CreateScan(float[] rows)
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("The index holds no rows.");
        }

        var builder = new FlatIndexBuilder(Dimension, Distance, Count, _storageChunkBytes);
        for (int r = 0; r < Count; r++)
        {
            builder.Append(rows.AsSpan(r * Dimension, Dimension));
        }

        return builder.BuildScan();
    }
}
