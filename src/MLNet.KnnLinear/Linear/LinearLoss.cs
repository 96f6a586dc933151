namespace MLNet.KnnLinear;

/// <summary>
/// The data loss of the multiclass linear classifier, on scores s = Wx + b. For every loss the model's <c>Score</c>
/// column is softmax(s): a probability for <see cref="Softmax"/>, a monotone (uncalibrated) mapping of the scores for
/// the hinge losses; <c>PredictedLabel</c> is argmax s for all.
/// </summary>
public enum LinearLoss
{
    /// <summary>
    /// Multiclass SVM (Weston–Watkins): Lᵢ = Σ_{j ≠ yᵢ} max(0, s_j − s_{yᵢ} + Δ) with margin Δ.
    /// </summary>
    Hinge = 0,

    /// <summary>Softmax cross-entropy: Lᵢ = −log(e^{s_{yᵢ}} / Σ_j e^{s_j}).</summary>
    Softmax = 1,

    /// <summary>
    /// Weston–Watkins squared hinge: Lᵢ = Σ_{j ≠ yᵢ} max(0, s_j − s_{yᵢ} + Δ)². Smooth (Lipschitz gradient), so the
    /// quasi-Newton solver needs no smoothing; penalises large margin violations more than <see cref="Hinge"/>.
    /// </summary>
    SquaredHinge = 2,

    /// <summary>
    /// One-versus-rest squared hinge, the model of scikit-learn's <c>LinearSVC</c> (default <c>loss="squared_hinge"</c>,
    /// <c>multi_class="ovr"</c>) and LIBLINEAR's L2-loss SVM: one binary SVM per class, trained jointly,
    /// Lᵢ = Σ_j max(0, Δ − t_j s_j)² with t_{yᵢ} = +1 and t_j = −1 for j ≠ yᵢ. With L2, λ = 1 / (2 C N) gives
    /// LinearSVC's C on N rows, except that LIBLINEAR also penalises the bias and this trainer does not.
    /// </summary>
    OneVersusRestSquaredHinge = 3,
}
