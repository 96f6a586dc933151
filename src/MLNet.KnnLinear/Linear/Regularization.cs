namespace MLNet.KnnLinear;

/// <summary>The regularizer R(W) of the multiclass linear classifier; the biases are never regularized.</summary>
public enum Regularization
{
    /// <summary>R = 0.</summary>
    None = 0,

    /// <summary>R = Σ |W|.</summary>
    L1 = 1,

    /// <summary>R = Σ W².</summary>
    L2 = 2,

    /// <summary>R = ρ Σ |W| + (1 − ρ) Σ W², with ρ = L1Ratio.</summary>
    ElasticNet = 3,
}
