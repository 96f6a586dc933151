namespace MLNet.KnnLinear.Search;

/// <summary>
/// A searchable set of fixed-length float rows (faiss's <c>Index</c>): rows are added once, then any number of
/// threads may search. Rows are numbered 0, 1, … in the order they were added.
/// </summary>
internal interface INeighborIndex
{
    /// <summary>The length of every row and query.</summary>
    int Dimension { get; }

    /// <summary>The number of rows held.</summary>
    int Count { get; }

    /// <summary>The distance the index ranks by.</summary>
    KnnDistance Distance { get; }

    /// <summary>
    /// For each of the <c>queries.Length / Dimension</c> queries (rows of <paramref name="queries"/>), finds the
    /// <paramref name="k"/> nearest rows, nearest first; equal distances are ordered by row number.
    /// Query q's results go to <c>distances[q*k .. q*k+k)</c> and <c>rows[q*k .. q*k+k)</c>.
    /// </summary>
    void Search(ReadOnlySpan<float> queries, int k, Span<float> distances, Span<int> rows);
}
