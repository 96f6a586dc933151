namespace MLNet.KnnLinear;

/// <summary>The distance between a query and a training row used by the k-nearest-neighbours trainer.</summary>
public enum KnnDistance
{
    /// <summary>Manhattan distance Σ |q_i − x_i|.</summary>
    L1 = 1,

    /// <summary>Euclidean distance √Σ (q_i − x_i)².</summary>
    L2 = 2,

    /// <summary>Cosine distance 1 − q·x / (‖q‖ ‖x‖); a zero vector is at distance 1 from every row.</summary>
    Cosine = 3,
}
