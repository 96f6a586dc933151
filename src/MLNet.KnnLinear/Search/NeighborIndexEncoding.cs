namespace MLNet.KnnLinear;

/// <summary>
/// How an index stores its rows (faiss' factory suffix: <c>Flat</c>, <c>SQ8</c>): null, the default, keeps rows at
/// full precision (floats, or bytes for raw pixels); <see cref="ScalarQuantizerEncoding"/> stores one byte a
/// dimension whatever the rows are. Set on <see cref="ExactIndexOptions.Encoding"/> or
/// <see cref="IvfIndexOptions.Encoding"/>.
/// </summary>
public abstract class NeighborIndexEncoding
{
    private protected NeighborIndexEncoding()
    {
    }
}
