using MLNet.KnnLinear.Kernels;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// L1 over float rows (features that are not raw bytes): the Vector256 <see cref="L1Distance"/> per pair, with
/// tiles of rows kept in cache while a block of queries is compared with them. The rows live in a
/// <see cref="RowStore{T}"/>'s chunks, so an index is not bound by one array's 2^31 floats.
/// </summary>
internal sealed class FloatL1Scan : DistanceScan
{
    private const int QueryBlock = 16;
    private const int RowTile = 32;

    private readonly RowStore<float> _rows;
    private readonly int _dimension;

    /// <summary>A scan over <paramref name="rows"/>, which it takes ownership of.</summary>
    public FloatL1Scan(RowStore<float> rows)
    {
        _rows = rows;
        _dimension = rows.Dimension;
    }

    public override long MemoryBytes => _rows.MemoryBytes;

    public override PreparedQueries Prepare(ReadOnlySpan<float> queries, int count) => new FloatQueries(count, queries[..(count * _dimension)].ToArray());

    public override void Scan(PreparedQueries queries, int queryBegin, int queryEnd, int rowBegin, int rowEnd, TopKSelector[] selectors)
    {
        float[] values = ((FloatQueries)queries).Values;
        int d = _dimension;
        for (int q0 = queryBegin; q0 < queryEnd; q0 += QueryBlock)
        {
            int q1 = Math.Min(q0 + QueryBlock, queryEnd);
            for (int tile = rowBegin; tile < rowEnd; tile += RowTile)
            {
                int tileEnd = Math.Min(tile + RowTile, rowEnd);
                for (int query = q0; query < q1; query++)
                {
                    var q = new ReadOnlySpan<float>(values, query * d, d);
                    var selector = selectors[query - queryBegin];
                    for (int row = tile; row < tileEnd; row++)
                    {
                        selector.Add(L1Distance.Compute(q, _rows.Row(row)), row);
                    }
                }
            }
        }

        GC.KeepAlive(_rows); // rows are read from the store's native memory
    }

    public override void CopyRow(int row, Span<float> destination)
    {
        _rows.Row(row).CopyTo(destination);
        GC.KeepAlive(_rows);
    }

    private sealed class FloatQueries(int count, float[] values) : PreparedQueries(count)
    {
        public float[] Values { get; } = values;
    }
}
