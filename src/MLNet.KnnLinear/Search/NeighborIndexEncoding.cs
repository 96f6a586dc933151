namespace MLNet.KnnLinear;

/// <summary>
/// How an index stores its rows (faiss' factory suffix: <c>Flat</c>, <c>SQ8</c>, <c>PQ</c>m): null, the default, keeps
/// rows at full precision (floats, or bytes for raw pixels); <see cref="ScalarQuantizerEncoding"/> stores one byte a
/// dimension whatever the rows are; <see cref="ProductQuantizerEncoding"/> stores m bytes a row. Set on
/// <see cref="ExactIndexOptions.Encoding"/>, <see cref="IvfIndexOptions.Encoding"/> or (8-bit codes only)
/// <see cref="HnswIndexOptions.Encoding"/>.
/// </summary>
public abstract class NeighborIndexEncoding
{
    private protected NeighborIndexEncoding()
    {
    }
}
