namespace MLNet.KnnLinear;

/// <summary>How the k nearest neighbours' votes are weighted.</summary>
public enum KnnWeighting
{
    /// <summary>Every neighbour has one vote.</summary>
    Uniform = 0,

    /// <summary>
    /// A neighbour at distance d has weight 1 / d. When some neighbours are at distance 0, only those vote
    /// (one vote each), as in scikit-learn.
    /// </summary>
    InverseDistance = 1,
}
