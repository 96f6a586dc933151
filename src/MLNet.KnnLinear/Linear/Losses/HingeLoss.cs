namespace MLNet.KnnLinear.Linear.Losses;

/// <summary>
/// Weston–Watkins multiclass hinge: Lᵢ = Σ_{j ≠ y} h(s_j − s_y + Δ). With <see cref="Smoothing"/> μ = 0, h(z) = max(0, z)
/// (the exact loss; its gradient is a subgradient). With μ &gt; 0, h is the Huber-smoothed hinge: 0 for z ≤ 0,
/// z²/(2μ) for 0 &lt; z &lt; μ, z − μ/2 beyond, which is differentiable, within μ/2 of the hinge per term, and lets
/// quasi-Newton methods minimise it; the trainer drives μ towards 0 (continuation).
/// </summary>
internal sealed class HingeLoss(float margin, double smoothing) : ILinearLoss
{
    public float Margin { get; } = margin;

    public double Smoothing { get; } = smoothing;

    public double Compute(ReadOnlySpan<float> scores, int label, Span<float> gradient)
    {
        double loss = 0;
        float labelGradient = 0f;
        float labelScore = scores[label];
        for (int j = 0; j < scores.Length; j++)
        {
            if (j == label)
            {
                continue;
            }

            double z = (double)scores[j] - labelScore + Margin;
            double slope;
            if (z <= 0)
            {
                slope = 0;
            }
            else if (z < Smoothing)
            {
                loss += z * z / (2 * Smoothing);
                slope = z / Smoothing;
            }
            else
            {
                loss += z - (Smoothing / 2);
                slope = 1;
            }

            gradient[j] = (float)slope;
            labelGradient -= (float)slope;
        }

        gradient[label] = labelGradient;
        return loss;
    }
}
