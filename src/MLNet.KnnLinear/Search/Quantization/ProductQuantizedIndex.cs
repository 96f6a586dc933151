using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Search.Quantization;

/// <summary>
/// An exact scan of product-quantized codes (faiss' <c>IndexPQ</c>): every row is held as its m-byte code, and a query
/// is compared with every code through its distance tables (ADC). L2 ranks by Σ_m ‖q_m − centroid_{m,code_m}‖² (the
/// squared distance to the decoded row, reported as its root); cosine stores unit-length rows and ranks by half that
/// sum for the unit query (see <see cref="CodeMetric"/>); a faiss file of inner-product codes ranks by faiss' inner
/// product. Queries are spread over the threads; each keeps its best k by (key, row number), so results do not
/// depend on the thread count.
/// </summary>
internal sealed class ProductQuantizedIndex : INeighborIndex
{
    private readonly RowStore<byte> _codes;
    private readonly int _maxThreads;

    public ProductQuantizedIndex(int dimension, KnnDistance distance, ProductQuantizer quantizer, int maxThreads, bool innerProduct = false)
        : this(dimension, distance, quantizer, new RowStore<byte>(quantizer.Subquantizers, 256), maxThreads, innerProduct)
    {
    }

    /// <summary>An index over codes held elsewhere already (a memory-mapped faiss file's, read-only).</summary>
    public ProductQuantizedIndex(int dimension, KnnDistance distance, ProductQuantizer quantizer, RowStore<byte> codes, int maxThreads, bool innerProduct)
    {
        Metric = ProductQuantizedCodes.MetricFor(distance, innerProduct);
        Dimension = dimension;
        Distance = distance;
        Quantizer = quantizer;
        _maxThreads = Math.Max(0, maxThreads);
        _codes = codes;
    }

    public ProductQuantizer Quantizer { get; }

    /// <summary>How codes are ranked: by L2 (cosine: of unit vectors), or by faiss' inner product for its files.</summary>
    public CodeMetric Metric { get; }

    public int Dimension { get; }

    public int Count => _codes.Count;

    public KnnDistance Distance { get; }

    public long MemoryBytes => _codes.MemoryBytes + Quantizer.MemoryBytes;

    /// <summary>Row <paramref name="row"/>'s code.</summary>
    public ReadOnlySpan<byte> Code(int row) => _codes.Row(row);

    /// <summary>
    /// Encodes rows a bounded chunk (16,384 rows) at a time, so no copy of all the rows is made, and appends every code
    /// at the end: an add happens whole or not at all.
    /// </summary>
    public void Add(ReadOnlySpan<float> rows)
    {
        const int chunkRows = 16_384;
        int n = rows.Length / Dimension;
        int m = Quantizer.Subquantizers;
        var codes = new byte[(long)n * m];
        for (int begin = 0; begin < n; begin += chunkRows)
        {
            int count = Math.Min(chunkRows, n - begin);
            ProductQuantizedCodes.Encode(Quantizer, rows.Slice(begin * Dimension, count * Dimension).ToArray(), Distance == KnnDistance.Cosine, codes, (long)begin * m, _maxThreads);
        }

        _codes.Reserve(n);
        AddCodes(codes);
    }

    /// <summary>Appends codes made elsewhere (a model or faiss file), row-major.</summary>
    public void AddCodes(ReadOnlySpan<byte> codes)
    {
        int m = Quantizer.Subquantizers;
        for (int r = 0; r < codes.Length / m; r++)
        {
            _codes.Append(codes.Slice(r * m, m));
        }
    }

    public void CopyRow(int row, Span<float> destination) => Quantizer.Decode(_codes.Row(row), destination);

    public void Search(ReadOnlySpan<float> queries, int k, Span<float> distances, Span<int> rows, RemovedRows? removed = null)
    {
        int queryCount = queries.Length / Dimension;
        var keys = new double[(long)queryCount * k];
        var found = new int[(long)queryCount * k];
        Array.Fill(found, -1);
        var queryArray = queries.ToArray();
        int threads = Math.Max(1, Math.Min(KnnLinearParallelism.ThreadsFor(_maxThreads), queryCount));
        ParallelRanges.Run(threads, t =>
        {
            var table = new float[Quantizer.TableLength];
            var query = new float[Dimension];
            var selector = new TopKSelector(k, removed);
            for (int q = t; q < queryCount; q += threads)
            {
                Cancellation.ThrowIfRequested();
                ProductQuantizedCodes.QueryTables(Quantizer, queryArray.AsSpan(q * Dimension, Dimension), Metric, query, table);
                selector.Reset();
                for (int r = 0; r < _codes.Count; r++)
                {
                    double key = ProductQuantizedCodes.Key(Metric, 0f, ProductQuantizer.Sum(table, _codes.Row(r)));
                    // Rows come in increasing order, so a key equal to the worst kept is never better: only lower keys enter.
                    if (key < selector.Threshold)
                    {
                        selector.Add(key, r);
                    }
                }

                selector.CopySorted(keys.AsSpan(q * k, k), found.AsSpan(q * k, k));
            }
        });

        ProductQuantizedCodes.WriteResults(Distance, keys, found, k, distances, rows);
    }
}
