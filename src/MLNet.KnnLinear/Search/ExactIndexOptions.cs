namespace MLNet.KnnLinear;

/// <summary>
/// Exact search (faiss' <c>IndexFlat</c>): every query is compared with every row, so results are the true nearest
/// neighbours. L2 and cosine run as matrix products; L1 on raw pixels compares bytes. Cost O(rows × features) per query.
/// With <see cref="Encoding"/> set to <see cref="ScalarQuantizerEncoding"/> (faiss' <c>IndexScalarQuantizer</c>,
/// factory <c>SQ8</c>) every code is compared: exact over the encoded rows, a quarter of the float memory.
/// </summary>
public sealed class ExactIndexOptions : NeighborIndexOptions
{
    /// <summary>
    /// How rows are stored: null (the default) as they are, floats or pixel bytes; <see cref="ScalarQuantizerEncoding"/>
    /// as 8-bit codes, trained on the rows <see cref="NeighborIndex.Build(ReadOnlySpan{float}, int, KnnDistance, NeighborIndexOptions?)"/>
    /// or a fit is given, or on <see cref="NeighborIndex.Train(ReadOnlySpan{float})"/>'s sample;
    /// <see cref="ProductQuantizerEncoding"/> as m-byte product codes (faiss' <c>IndexPQ</c>), the codebooks trained on a
    /// sample (seed 1) of the same rows. L2 and cosine only.
    /// </summary>
    public NeighborIndexEncoding? Encoding { get; set; }

    internal override NeighborIndexEncoding? EncodingOf => Encoding;

    internal override void Validate(long rows)
    {
    }
}
