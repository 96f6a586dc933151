namespace MLNet.KnnLinear.Linear.Losses;

/// <summary>
/// Weston–Watkins multiclass squared hinge: Lᵢ = Σ_{j ≠ y} max(0, s_j − s_y + Δ)². Differentiable with a Lipschitz
/// gradient (∂Lᵢ/∂s_j = 2 max(0, s_j − s_y + Δ) for j ≠ y, minus their sum for y), so quasi-Newton methods minimise it
/// directly, with no smoothing.
/// </summary>
internal sealed class SquaredHingeLoss(float margin) : ILinearLoss
{
    public float Margin { get; } = margin;

    public double Compute(ReadOnlySpan<float> scores, int label, Span<float> gradient)
    {
        double loss = 0;
        double labelGradient = 0;
        float labelScore = scores[label];
        for (int j = 0; j < scores.Length; j++)
        {
            if (j == label)
            {
                continue;
            }

            double z = Math.Max(0, (double)scores[j] - labelScore + Margin);
            loss += z * z;
            gradient[j] = (float)(2 * z);
            labelGradient -= 2 * z;
        }

        gradient[label] = (float)labelGradient;
        return loss;
    }
}
