namespace MLNet.KnnLinear.Search;

/// <summary>
/// One way of computing query-to-row distances over a fixed set of rows (a storage layout plus kernels). The flat
/// index splits the work into (query range × row range) pieces, possibly on several threads, and each piece feeds
/// every distance it computes into the top-k selector of its query. Distance computation is all a scan does:
/// selection and merging live in <see cref="FlatIndex"/> and <see cref="TopKSelector"/>.
/// </summary>
internal abstract class DistanceScan
{
    /// <summary>Row ranges given to <see cref="Scan"/> start at multiples of this (a storage panel).</summary>
    public virtual int RowAlignment => 1;

    /// <summary>
    /// Converts queries (row-major, <paramref name="count"/> of them) into what <see cref="Scan"/> reads: the one
    /// copy a search makes of its queries (padded, converted to bytes, or with norms, as the scan needs).
    /// </summary>
    public abstract PreparedQueries Prepare(ReadOnlySpan<float> queries, int count);

    /// <summary>
    /// Distances of queries [<paramref name="queryBegin"/>, <paramref name="queryEnd"/>) to rows
    /// [<paramref name="rowBegin"/>, <paramref name="rowEnd"/>), each offered to <c>selectors[query − queryBegin]</c>.
    /// </summary>
    public abstract void Scan(PreparedQueries queries, int queryBegin, int queryEnd, int rowBegin, int rowEnd, TopKSelector[] selectors);

    /// <summary>
    /// Whether <paramref name="query"/> is ranked in the scan's exact mode (whole-number queries against whole-number
    /// rows). <see cref="Prepare"/> chooses one mode for all the queries it is given, so the flat index gives it
    /// queries of one mode at a time: a query's neighbours must not depend on the other queries of its batch.
    /// </summary>
    public virtual bool IsExactFor(ReadOnlySpan<float> query) => false;

    /// <summary>Row <paramref name="row"/> as floats.</summary>
    public abstract void CopyRow(int row, Span<float> destination);

    /// <summary>Bytes of memory held for the rows (layout, padding and cached norms).</summary>
    public abstract long MemoryBytes { get; }
}

/// <summary>
/// Queries in the form a scan reads them. Disposed when the search ends: large copies come from the shared array pool
/// and go back to it, so repeated searches (k-means assigns its sample in chunks, every iteration) do not leave a copy
/// of their queries behind as garbage each time.
/// </summary>
internal class PreparedQueries(int count) : IDisposable
{
    public int Count { get; } = count;

    public virtual void Dispose()
    {
    }

    /// <summary>An array of at least <paramref name="length"/> items from the shared pool (the first <paramref name="length"/> are the caller's to fill).</summary>
    internal static T[] Rent<T>(long length)
        => System.Buffers.ArrayPool<T>.Shared.Rent(checked((int)length));

    internal static void Return<T>(T[] array)
        => System.Buffers.ArrayPool<T>.Shared.Return(array);
}
