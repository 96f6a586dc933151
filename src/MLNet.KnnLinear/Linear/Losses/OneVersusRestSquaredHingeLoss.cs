namespace MLNet.KnnLinear.Linear.Losses;

/// <summary>
/// One-versus-rest squared hinge, the loss of scikit-learn's <c>LinearSVC</c> (Crammer–Singer aside) and LIBLINEAR's
/// L2-loss SVM: one binary classifier per class, Lᵢ = Σ_j max(0, Δ − t_j s_j)² with t_y = +1 and t_j = −1 for j ≠ y.
/// ∂Lᵢ/∂s_j = −2 t_j max(0, Δ − t_j s_j); differentiable with a Lipschitz gradient, minimised directly.
/// </summary>
internal sealed class OneVersusRestSquaredHingeLoss(float margin) : ILinearLoss
{
    public float Margin { get; } = margin;

    public double Compute(ReadOnlySpan<float> scores, int label, Span<float> gradient)
    {
        double loss = 0;
        for (int j = 0; j < scores.Length; j++)
        {
            double sign = j == label ? 1 : -1;
            double z = Math.Max(0, Margin - (sign * scores[j]));
            loss += z * z;
            gradient[j] = (float)(-2 * sign * z);
        }

        return loss;
    }
}
