namespace MLNet.KnnLinear;

/// <summary>
/// The rows within a radius of each query (faiss' <c>RangeSearchResult</c>): query q's neighbours are entries
/// <c>Limits[q]</c> to <c>Limits[q + 1]</c> − 1 of <see cref="Ids"/> and <see cref="Distances"/>, nearest first (ties
/// by row number).
/// </summary>
public sealed class NeighborRangeResult
{
    internal NeighborRangeResult(long[] limits, long[] ids, float[] distances)
    {
        Limits = limits;
        Ids = ids;
        Distances = distances;
    }

    /// <summary>Queries + 1 offsets into <see cref="Ids"/> and <see cref="Distances"/>; the last is their length.</summary>
    public IReadOnlyList<long> Limits { get; }

    /// <summary>The neighbours' ids (the user's, or row numbers), query after query.</summary>
    public IReadOnlyList<long> Ids { get; }

    /// <summary>The neighbours' distances, as <see cref="NeighborIndex.Search(ReadOnlySpan{float}, int, Span{long}, Span{float})"/> reports them.</summary>
    public IReadOnlyList<float> Distances { get; }
}
