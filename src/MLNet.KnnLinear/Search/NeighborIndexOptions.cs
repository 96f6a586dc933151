namespace MLNet.KnnLinear;

/// <summary>
/// How a <see cref="NeighborIndex"/> is organised: <see cref="ExactIndexOptions"/> (every row compared, the default)
/// or <see cref="IvfIndexOptions"/> (an inverted file: approximate, faster on large data).
/// </summary>
public abstract class NeighborIndexOptions
{
    private protected NeighborIndexOptions()
    {
    }

    /// <summary>Checks the options against the data they will index; throws naming the option.</summary>
    internal abstract void Validate(long rows);

    /// <summary>
    /// Re-ranks an encoded index's candidates on the rows as they are (faiss' <c>IndexRefineFlat</c>, factory suffix
    /// <c>,RFlat</c>; ann-benchmarks' faiss entries): a search for k neighbours takes ⌊k × factor⌋ candidates from the
    /// codes, computes each one's exact distance from its full row, and returns the k nearest with those exact
    /// distances. The index then also keeps every row as it is (pixel rows as bytes, other rows as float32) beside the
    /// codes, so it takes that memory too: choose it when recall matters more than memory. Between 1 and 1,000 (faiss'
    /// limit); 1 re-ranks exactly the k found. Default null: no re-ranking. Needs an <c>Encoding</c>: an index of rows as
    /// they are ranks by exact distances already.
    /// </summary>
    public float? RefineFactor { get; set; }

    /// <summary>The options' row encoding (null: rows as they are).</summary>
    internal virtual NeighborIndexEncoding? EncodingOf => null;

    /// <summary>Checks the options against the distance they will rank by; throws naming the option.</summary>
    internal void ValidateFor(KnnDistance distance)
    {
        if (RefineFactor is { } factor && (!float.IsFinite(factor) || factor < 1 || factor > 1000))
        {
            throw new ArgumentOutOfRangeException(nameof(RefineFactor), factor, "RefineFactor must be between 1 and 1,000 (candidates per neighbour re-ranked on the full rows), or null for none.");
        }

        if (RefineFactor is not null && EncodingOf is null)
        {
            throw new ArgumentOutOfRangeException(nameof(RefineFactor), RefineFactor, "RefineFactor re-ranks an encoded index's candidates on the rows as they are; this index stores its rows as they are (Encoding is null) and ranks by exact distances already. Set Encoding (ScalarQuantizerEncoding or ProductQuantizerEncoding), or leave RefineFactor null.");
        }

        if (EncodingOf is not null && distance == KnnDistance.L1)
        {
            string kind = IsProductQuantized ? "product" : "scalar";
            throw new ArgumentOutOfRangeException("Encoding", EncodingOf.GetType().Name, $"Encoding: {kind} quantization ranks by L2 or cosine (as faiss' {kind}-quantized indexes by L2 or inner product); an L1 index stores its rows as they are (leave Encoding null).");
        }
    }

    /// <summary>Checks the options against the row length; throws naming the option (a product quantizer's sub-quantizers must divide it).</summary>
    internal void ValidateFor(int dimension)
    {
        if (EncodingOf is ProductQuantizerEncoding product)
        {
            if (this is HnswIndexOptions)
            {
                throw new ArgumentOutOfRangeException("Encoding", nameof(ProductQuantizerEncoding), "Encoding: an HNSW graph stores rows as they are or as 8-bit codes (ScalarQuantizerEncoding); product quantization is for exact and inverted-file indexes (faiss' IndexPQ and IndexIVFPQ).");
            }

            product.Validate(dimension);
        }
    }

    /// <summary>Whether candidates are re-ranked on the full rows, which the index then keeps (<see cref="RefineFactor"/>).</summary>
    internal bool IsRefined => RefineFactor is not null;

    /// <summary>Whether rows are stored as 8-bit codes.</summary>
    internal bool IsScalarQuantized => EncodingOf is ScalarQuantizerEncoding;

    /// <summary>Whether rows are stored as product-quantized codes.</summary>
    internal bool IsProductQuantized => EncodingOf is ProductQuantizerEncoding;

    /// <summary>Whether the index learns something before it takes rows: centroids, or an encoding's ranges or codebooks.</summary>
    internal bool NeedsTraining => this is IvfIndexOptions || EncodingOf is not null;

    /// <summary>A product quantizer's sub-quantizers (0 when rows are not product-quantized).</summary>
    internal int Subquantizers => (EncodingOf as ProductQuantizerEncoding)?.Subquantizers ?? 0;

    /// <summary>A copy of these options with another <see cref="RefineFactor"/> (an index read from a file reports its own).</summary>
    internal NeighborIndexOptions WithRefineFactor(float? factor)
    {
        var copy = (NeighborIndexOptions)MemberwiseClone();
        copy.RefineFactor = factor;
        return copy;
    }

    /// <summary>
    /// These options with their seed resolved: their own, else the context's, else 1 (see
    /// <see cref="MlNetInterop.HostSeed"/>); the options themselves when the kind draws nothing or its seed is set.
    /// </summary>
    internal virtual NeighborIndexOptions Seeded(int? contextSeed) => this;
}
