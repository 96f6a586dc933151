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
}
