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

    /// <summary>A copy whose seed is <paramref name="seed"/> (the options themselves when the kind draws nothing).</summary>
    internal abstract NeighborIndexOptions WithSeed(int seed);

    /// <summary>These options with their seed resolved: their own, else the context's, else 1 (see <see cref="MlNetInterop.HostSeed"/>).</summary>
    internal NeighborIndexOptions Seeded(int? contextSeed) => this switch
    {
        IvfIndexOptions { Seed: null } => WithSeed(contextSeed ?? 1),
        HnswIndexOptions { Seed: null } => WithSeed(contextSeed ?? 1),
        _ => this,
    };
}
