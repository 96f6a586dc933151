namespace MLNet.KnnLinear;

/// <summary>The data loss of the multiclass linear classifier, on scores s = Wx + b.</summary>
public enum LinearLoss
{
    /// <summary>
    /// Multiclass SVM (Weston–Watkins): Lᵢ = Σ_{j ≠ yᵢ} max(0, s_j − s_{yᵢ} + Δ) with margin Δ.
    /// </summary>
    Hinge = 0,

    /// <summary>Softmax cross-entropy: Lᵢ = −log(e^{s_{yᵢ}} / Σ_j e^{s_j}).</summary>
    Softmax = 1,
}
