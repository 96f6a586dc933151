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
    /// These options with their seed resolved: their own, else the context's, else 1 (see
    /// <see cref="MlNetInterop.HostSeed"/>); the options themselves when the kind draws nothing or its seed is set.
    /// </summary>
    internal virtual NeighborIndexOptions Seeded(int? contextSeed) => this;
}
