using MLNet.KnnLinear.Kernels;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// L1 over float rows (features that are not raw bytes): the Vector256 <see cref="L1Distance"/> per pair, with
/// tiles of rows kept in cache while a block of queries is compared with them.
/// </summary>
internal sealed class FloatL1Scan : DistanceScan
{
    private const int QueryBlock = 16;
    private const int RowTile = 32;

    private readonly float[] _rows;
    private readonly int _dimension;

    /// <summary>A scan over <paramref name="rows"/> (row-major), which it takes ownership of.</summary>
    public FloatL1Scan(float[] rows, int dimension)
    {
        _rows = rows;
        _dimension = dimension;
    }

    public override long MemoryBytes => _rows.LongLength * sizeof(float);

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
                        selector.Add(L1Distance.Compute(q, new ReadOnlySpan<float>(_rows, row * d, d)), row);
                    }
                }
            }
        }
    }

    public override void CopyRow(int row, Span<float> destination) => _rows.AsSpan(row * _dimension, _dimension).CopyTo(destination);

    private sealed class FloatQueries(int count, float[] values) : PreparedQueries(count)
    {
        public float[] Values { get; } = values;
    }
}
