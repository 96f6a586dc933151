using MLNet.KnnLinear.Kernels;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// L1 over rows whose values are all whole numbers in [0, 255] (raw pixels), stored as bytes: a quarter of the
/// memory of floats, and 32 absolute differences per <c>vpsadbw</c> (<see cref="SadTile"/>). Queries that are byte
/// valued too use the byte kernel (exact integer sums); other queries fall back to the float L1 kernel against the
/// rows widened to floats, one row at a time. The rows live in a <see cref="RowStore{T}"/>'s chunks, so an index is
/// not bound by one array's 2^31 bytes (699,050 CIFAR images); a scan splits its rows at chunk ends.
/// </summary>
internal sealed unsafe class ByteL1Scan : DistanceScan
{
    private const int QueryBlock = 64;
    private const int RowBlock = 8;

    private readonly RowStore<byte> _rows;
    private readonly int _dimension;

    /// <summary>
    /// The longest row whose sum of absolute byte differences fits the kernel's 32-bit sums (255 × this ≤ 2^32 − 1):
    /// about 16.8 million values. Longer byte rows are held as floats (<see cref="L1ScanBuilder"/>).
    /// </summary>
    public const int MaxDimension = (int)(uint.MaxValue / byte.MaxValue);

    /// <summary>A scan over <paramref name="rows"/>, which it takes ownership of.</summary>
    public ByteL1Scan(RowStore<byte> rows)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows.Dimension, MaxDimension);
        _rows = rows;
        _dimension = rows.Dimension;
    }

    public override long MemoryBytes => _rows.MemoryBytes;

    /// <summary>Row <paramref name="row"/> as stored.</summary>
    public ReadOnlySpan<byte> Row(int row) => _rows.Row(row);

    /// <summary>True when every value is a whole number in [0, 255], so a byte holds it exactly.</summary>
    public static bool IsByteValued(ReadOnlySpan<float> values) => WholeNumbers.AllWithin(values, 0f, 255f);

    public override bool IsExactFor(ReadOnlySpan<float> query) => IsByteValued(query);

    public override PreparedQueries Prepare(ReadOnlySpan<float> queries, int count)
    {
        var span = queries[..(count * _dimension)];
        if (!IsByteValued(span))
        {
            return new FloatQueries(count, span.ToArray());
        }

        // Zero rows after the last query, so a tile of 4 starting at any query stays inside the buffer.
        var bytes = new byte[(long)(count + SadTile.Queries) * _dimension];
        WholeNumbers.ToBytes(span, bytes);

        return new ByteQueries(count, bytes);
    }

    public override void Scan(PreparedQueries queries, int queryBegin, int queryEnd, int rowBegin, int rowEnd, TopKSelector[] selectors)
    {
        if (queries is ByteQueries byteQueries)
        {
            ScanBytes(byteQueries.Values, queryBegin, queryEnd, rowBegin, rowEnd, selectors);
        }
        else
        {
            ScanFloats(((FloatQueries)queries).Values, queryBegin, queryEnd, rowBegin, rowEnd, selectors);
        }
    }

    public override void CopyRow(int row, Span<float> destination)
    {
        System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(_rows.Row(row), destination);
        GC.KeepAlive(_rows);
    }

    private void ScanBytes(byte[] queries, int queryBegin, int queryEnd, int rowBegin, int rowEnd, TopKSelector[] selectors)
    {
        // Chunk by chunk: a pair of rows the kernel compares at once never straddles two chunks.
        int perChunk = _rows.RowsPerChunk;
        for (int begin = rowBegin; begin < rowEnd;)
        {
            int end = (int)Math.Min(rowEnd, ((long)(begin / perChunk) + 1) * perChunk);
            ScanChunk(queries, queryBegin, queryEnd, _rows.Rows(begin, end - begin), begin, end, selectors);
            begin = end;
        }

        GC.KeepAlive(_rows); // the kernel reads the store's native memory through raw pointers
    }

    /// <summary>Rows [<paramref name="rowBegin"/>, <paramref name="rowEnd"/>), contiguous in <paramref name="rows"/>.</summary>
    private void ScanChunk(byte[] queries, int queryBegin, int queryEnd, ReadOnlySpan<byte> rows, int rowBegin, int rowEnd, TopKSelector[] selectors)
    {
        int d = _dimension;
        uint* sums = stackalloc uint[SadTile.Queries * SadTile.Rows];
        fixed (byte* q = queries, r = rows)
        {
            // A block of queries stays in L2; a block of rows small enough to stay in L1 beside one group of 4 queries
            // is compared with each group in turn, so each query chunk loaded serves a whole row block.
            for (int q0 = queryBegin; q0 < queryEnd; q0 += QueryBlock)
            {
                int q1 = Math.Min(q0 + QueryBlock, queryEnd);
                for (int r0 = rowBegin; r0 < rowEnd; r0 += RowBlock)
                {
                    int r1 = Math.Min(r0 + RowBlock, rowEnd);
                    for (int query = q0; query < q1; query += SadTile.Queries)
                    {
                        int groupSize = Math.Min(SadTile.Queries, q1 - query);
                        for (int row = r0; row < r1; row += SadTile.Rows)
                        {
                            // An odd last row is paired with itself; its second result is ignored.
                            int second = Math.Min(row + 1, r1 - 1);
                            SadTile.Compute(q + ((long)query * d), d, r + ((long)(row - rowBegin) * d), (second - row) * d, d, sums);
                            Offer(selectors, query - queryBegin, groupSize, row, second, sums);
                        }
                    }
                }
            }
        }
    }

    private static void Offer(TopKSelector[] selectors, int first, int count, int row, int second, uint* sums)
    {
        for (int i = 0; i < count; i++)
        {
            // Most candidates lose to the current k-th best: test before calling into the heap. The integer sums go
            // to the selector as doubles, exact at any size: as floats they would round above 2^24, which a
            // 224 × 224 × 3 image reaches, and distinct distances would tie.
            var selector = selectors[first + i];
            double a = sums[i * SadTile.Rows];
            if (a <= selector.Threshold)
            {
                selector.Add(a, row);
            }

            double b = sums[(i * SadTile.Rows) + 1];
            if (second != row && b <= selector.Threshold)
            {
                selector.Add(b, second);
            }
        }
    }

    private void ScanFloats(float[] queries, int queryBegin, int queryEnd, int rowBegin, int rowEnd, TopKSelector[] selectors)
    {
        int d = _dimension;
        var widened = new float[d];
        for (int row = rowBegin; row < rowEnd; row++)
        {
            CopyRow(row, widened);
            for (int query = queryBegin; query < queryEnd; query++)
            {
                selectors[query - queryBegin].Add(L1Distance.Compute(queries.AsSpan(query * d, d), widened), row);
            }
        }
    }

    private sealed class ByteQueries(int count, byte[] values) : PreparedQueries(count)
    {
        public byte[] Values { get; } = values;
    }

    private sealed class FloatQueries(int count, float[] values) : PreparedQueries(count)
    {
        public float[] Values { get; } = values;
    }
}
