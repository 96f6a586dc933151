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

    /// <summary>The options' row encoding (null: rows as they are).</summary>
    internal virtual NeighborIndexEncoding? EncodingOf => null;

    /// <summary>Checks the options against the distance they will rank by; throws naming the option.</summary>
    internal void ValidateFor(KnnDistance distance)
    {
        if (EncodingOf is not null && distance == KnnDistance.L1)
        {
            throw new ArgumentOutOfRangeException("Encoding", EncodingOf.GetType().Name, "Encoding: scalar quantization ranks by L2 or cosine (as faiss' scalar-quantized indexes by L2 or inner product); an L1 index stores its rows as they are (leave Encoding null).");
        }
    }

    /// <summary>Whether rows are stored as 8-bit codes.</summary>
    internal bool IsScalarQuantized => EncodingOf is ScalarQuantizerEncoding;

    /// <summary>
    /// These options with their seed resolved: their own, else the context's, else 1 (see
    /// <see cref="MlNetInterop.HostSeed"/>); the options themselves when the kind draws nothing or its seed is set.
    /// </summary>
    internal virtual NeighborIndexOptions Seeded(int? contextSeed) => this;
}
