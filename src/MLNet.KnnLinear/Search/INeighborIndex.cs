namespace MLNet.KnnLinear.Search;

/// <summary>
/// A searchable set of fixed-length float rows (faiss's <c>Index</c>), the contract every index kind implements:
/// rows are numbered 0, 1, … in the order they were added, and those numbers never change (removal marks rows, see
/// <see cref="RemovedRows"/>). Adding is not thread-safe; any number of threads may search between additions.
/// </summary>
internal interface INeighborIndex
{
    /// <summary>The length of every row and query.</summary>
    int Dimension { get; }

    /// <summary>The number of row numbers given out: every row added, removed ones included.</summary>
    int Count { get; }

    /// <summary>The distance the index ranks by.</summary>
    KnnDistance Distance { get; }

    /// <summary>Bytes held for the rows and the structure.</summary>
    long MemoryBytes { get; }

    /// <summary>Adds rows (row-major, finite, checked by the caller), numbered from <see cref="Count"/> on.</summary>
    void Add(ReadOnlySpan<float> rows);

    /// <summary>
    /// Adds byte rows (raw pixels), numbered from <see cref="Count"/> on. By default widened to floats a bounded
    /// chunk at a time (a cancellation point between chunks); an index that stores bytes takes them as they are.
    /// </summary>
    void Add(ReadOnlySpan<byte> rows)
        => ByteRowChunks.ForEach(rows, Dimension, (chunk, _, _) =>
        {
            Pipeline.Cancellation.ThrowIfRequested();
            Add(chunk);
        });

    /// <summary>
    /// For each of the <c>queries.Length / Dimension</c> queries (rows of <paramref name="queries"/>), finds the
    /// <paramref name="k"/> nearest rows not in <paramref name="removed"/>, nearest first; equal distances are ordered
    /// by row number. Query q's results go to <c>distances[q*k .. q*k+k)</c> and <c>rows[q*k .. q*k+k)</c>; where
    /// fewer than k are found, row −1 and distance +∞ fill the rest.
    /// </summary>
    void Search(ReadOnlySpan<float> queries, int k, Span<float> distances, Span<int> rows, RemovedRows? removed = null);

    /// <summary>Row <paramref name="row"/> as floats (unit length for a cosine HNSW graph, which stores them so).</summary>
    void CopyRow(int row, Span<float> destination);
}
