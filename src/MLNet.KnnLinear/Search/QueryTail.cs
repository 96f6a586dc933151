namespace MLNet.KnnLinear.Search;

/// <summary>
/// The last tile of queries when it runs past the queries: the micro-kernels read a fixed number of query rows, so
/// the rows that exist are copied, one depth block at a time, into a zeroed tile (rows of the block's length) instead
/// of copying every query padded. Shared by the float and byte GEMM scans.
/// </summary>
internal static unsafe class QueryTail
{
    /// <summary>
    /// Values [<paramref name="offset"/>, offset + <paramref name="length"/>) of query rows [first, first +
    /// <paramref name="rows"/>) (row stride <paramref name="stride"/>) into <paramref name="tile"/>, whose
    /// <paramref name="tileRows"/> rows of <paramref name="length"/> values are zero past the copied rows.
    /// </summary>
    public static void Copy<T>(T* queries, long stride, int first, int rows, int offset, int length, T* tile, int tileRows)
        where T : unmanaged
    {
        new Span<T>(tile, tileRows * length).Clear();
        for (int i = 0; i < rows; i++)
        {
            new ReadOnlySpan<T>(queries + ((first + i) * stride) + offset, length).CopyTo(new Span<T>(tile + (i * length), length));
        }
    }
}
