using MLNet.KnnLinear.Kernels;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// Exact search by comparing each query with every row (faiss's <c>IndexFlat</c>). Rows are stored contiguously in
/// one float array. Queries are processed in blocks, each block against tiles of rows small enough to stay in cache,
/// with one thread per block; with fewer blocks than threads (e.g. one <c>PredictionEngine</c> query), the rows are
/// split between threads instead and the partial top-k lists merged. Results do not depend on the thread count:
/// ties are ordered by row number.
/// </summary>
/// <remarks>
/// Cost: O(queries × rows × dimension) time, rows × dimension × 4 bytes of memory. Adding rows is not
/// thread-safe; searching is, once all rows are added.
/// </remarks>
internal sealed class FlatIndex : INeighborIndex
{
    private const int QueryBlock = 16;
    private const int RowTile = 32;
    private const int MinRowsPerThread = 1024;

    private float[] _rows;
    private float[] _norms;
    private readonly int _maxThreads;

    public FlatIndex(int dimension, KnnDistance distance, int maxThreads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (!Enum.IsDefined(distance))
        {
            throw new ArgumentOutOfRangeException(nameof(distance), distance, "Unknown distance.");
        }

        Dimension = dimension;
        Distance = distance;
        _maxThreads = maxThreads > 0 ? maxThreads : Environment.ProcessorCount;
        _rows = [];
        _norms = [];
    }

    /// <summary>An index over <paramref name="rows"/> (row-major), which it takes ownership of without copying.</summary>
    public FlatIndex(float[] rows, int dimension, KnnDistance distance, int maxThreads = 0)
        : this(dimension, distance, maxThreads)
    {
        if (rows.Length % dimension != 0)
        {
            throw new ArgumentException($"Row data length {rows.Length} is not a multiple of the dimension {dimension}.", nameof(rows));
        }

        _rows = rows;
        Count = rows.Length / dimension;
        _norms = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            _norms[i] = CosineDistance.Norm(rows.AsSpan(i * dimension, dimension));
        }
    }

    public int Dimension { get; }

    public int Count { get; private set; }

    public KnnDistance Distance { get; }

    /// <summary>The rows held, row-major (<see cref="Count"/> × <see cref="Dimension"/>).</summary>
    public ReadOnlySpan<float> Rows => _rows.AsSpan(0, Count * Dimension);

    /// <summary>Appends rows (a multiple of <see cref="Dimension"/> values, row-major).</summary>
    public void Add(ReadOnlySpan<float> rows)
    {
        if (rows.Length % Dimension != 0)
        {
            throw new ArgumentException($"Row data length {rows.Length} is not a multiple of the dimension {Dimension}.", nameof(rows));
        }

        int added = rows.Length / Dimension;
        int needed = checked((Count + added) * Dimension);
        if (needed > _rows.Length)
        {
            Array.Resize(ref _rows, Math.Max(needed, checked(_rows.Length * 2)));
            Array.Resize(ref _norms, Math.Max(Count + added, _norms.Length * 2));
        }

        rows.CopyTo(_rows.AsSpan(Count * Dimension));
        for (int i = 0; i < added; i++)
        {
            _norms[Count + i] = CosineDistance.Norm(rows.Slice(i * Dimension, Dimension));
        }

        Count += added;
    }

    public void Search(ReadOnlySpan<float> queries, int k, Span<float> distances, Span<int> rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (k > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must not exceed the {Count} rows held.");
        }

        if (queries.Length % Dimension != 0)
        {
            throw new ArgumentException($"Query data length {queries.Length} is not a multiple of the dimension {Dimension}.", nameof(queries));
        }

        int queryCount = queries.Length / Dimension;
        if (distances.Length < queryCount * k || rows.Length < queryCount * k)
        {
            throw new ArgumentException($"Result buffers must hold {queryCount * k} values.");
        }

        switch (Distance)
        {
            case KnnDistance.L1:
                Search<L1PairDistance>(queries, queryCount, k, distances, rows);
                break;
            case KnnDistance.L2:
                Search<L2PairDistance>(queries, queryCount, k, distances, rows);
                break;
            default:
                Search<CosinePairDistance>(queries, queryCount, k, distances, rows);
                break;
        }
    }

    private void Search<TDistance>(ReadOnlySpan<float> queries, int queryCount, int k, Span<float> distances, Span<int> rows)
        where TDistance : struct, IPairDistance
    {
        // Spans cannot cross into the parallel lambdas; the arrays they view can.
        float[] queryArray = queries.ToArray();
        var distanceResults = new float[queryCount * k];
        var rowResults = new int[queryCount * k];
        int blocks = (queryCount + QueryBlock - 1) / QueryBlock;
        int rowSplits = Math.Clamp(Count / MinRowsPerThread, 1, _maxThreads);
        if (blocks >= _maxThreads || rowSplits == 1)
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = _maxThreads };
            Parallel.For(0, blocks, options, () => NewSelectors(k), (block, _, selectors) =>
            {
                int first = block * QueryBlock;
                int count = Math.Min(QueryBlock, queryCount - first);
                SearchBlock<TDistance>(queryArray, first, count, 0, Count, selectors);
                for (int q = 0; q < count; q++)
                {
                    int at = (first + q) * k;
                    selectors[q].CopySorted(distanceResults.AsSpan(at, k), rowResults.AsSpan(at, k));
                }

                return selectors;
            }, _ => { });
        }
        else
        {
            SearchSplittingRows<TDistance>(queryArray, queryCount, k, rowSplits, distanceResults, rowResults);
        }

        distanceResults.CopyTo(distances);
        rowResults.CopyTo(rows);
    }

    /// <summary>Few queries: every thread scans a share of the rows for all queries; the shares' top-k lists are merged.</summary>
    private void SearchSplittingRows<TDistance>(float[] queries, int queryCount, int k, int splits, float[] distanceResults, int[] rowResults)
        where TDistance : struct, IPairDistance
    {
        var partial = new TopKSelector[splits][];
        Parallel.For(0, splits, new ParallelOptions { MaxDegreeOfParallelism = splits }, split =>
        {
            int begin = (int)((long)Count * split / splits);
            int end = (int)((long)Count * (split + 1) / splits);
            var selectors = new TopKSelector[queryCount];
            for (int q = 0; q < queryCount; q++)
            {
                selectors[q] = new TopKSelector(k);
            }

            for (int first = 0; first < queryCount; first += QueryBlock)
            {
                SearchBlock<TDistance>(queries, first, Math.Min(QueryBlock, queryCount - first), begin, end, selectors.AsSpan(first));
            }

            partial[split] = selectors;
        });

        var merged = new TopKSelector(k);
        var d = new float[k];
        var r = new int[k];
        for (int q = 0; q < queryCount; q++)
        {
            merged.Reset();
            foreach (var selectors in partial)
            {
                int n = selectors[q].CopySorted(d, r);
                for (int i = 0; i < n; i++)
                {
                    merged.Add(d[i], r[i]);
                }
            }

            merged.CopySorted(distanceResults.AsSpan(q * k, k), rowResults.AsSpan(q * k, k));
        }
    }

    private void SearchBlock<TDistance>(float[] queries, int first, int count, int rowBegin, int rowEnd, Span<TopKSelector> selectors)
        where TDistance : struct, IPairDistance
    {
        var distance = default(TDistance);
        int dim = Dimension;
        Span<float> queryNorms = stackalloc float[QueryBlock];
        for (int q = 0; q < count; q++)
        {
            selectors[q].Reset();
            queryNorms[q] = CosineDistance.Norm(queries.AsSpan((first + q) * dim, dim));
        }

        // Tiles of rows stay in cache while every query of the block is compared with them.
        for (int tile = rowBegin; tile < rowEnd; tile += RowTile)
        {
            int tileEnd = Math.Min(tile + RowTile, rowEnd);
            for (int q = 0; q < count; q++)
            {
                var query = new ReadOnlySpan<float>(queries, (first + q) * dim, dim);
                var selector = selectors[q];
                for (int row = tile; row < tileEnd; row++)
                {
                    float d = distance.Compute(query, queryNorms[q], new ReadOnlySpan<float>(_rows, row * dim, dim), _norms[row]);
                    selector.Add(d, row);
                }
            }
        }
    }

    private static TopKSelector[] NewSelectors(int k)
    {
        var selectors = new TopKSelector[QueryBlock];
        for (int i = 0; i < selectors.Length; i++)
        {
            selectors[i] = new TopKSelector(k);
        }

        return selectors;
    }
}
