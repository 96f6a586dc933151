namespace MLNet.KnnLinear;

/// <summary>
/// Exact search (faiss' <c>IndexFlat</c>): every query is compared with every row, so results are the true nearest
/// neighbours. L2 and cosine run as matrix products; L1 on raw pixels compares bytes. Cost O(rows × features) per query.
/// </summary>
public sealed class ExactIndexOptions : NeighborIndexOptions
{
    internal override void Validate(long rows)
    {
    }
}
