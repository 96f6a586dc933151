namespace MLNet.KnnLinear.Linear.Regularizers;

/// <summary>
/// λ R(W), split into a smooth part (λ (1 − ρ) Σ W², value and gradient) and an L1 part (λ ρ Σ |W|, handled by the
/// optimizer as an orthant-wise or proximal step). L2: ρ = 0; L1: ρ = 1; elastic net: ρ = L1Ratio; none: λ = 0.
/// </summary>
internal sealed class Regularizer
{
    private Regularizer(double l2Weight, double l1Weight)
    {
        L2Weight = l2Weight;
        L1Weight = l1Weight;
    }

    /// <summary>Coefficient of Σ W².</summary>
    public double L2Weight { get; }

    /// <summary>Coefficient of Σ |W|.</summary>
    public double L1Weight { get; }

    public static Regularizer Create(Regularization kind, double lambda, double l1Ratio) => kind switch
    {
        Regularization.None => new(0, 0),
        Regularization.L1 => new(0, lambda),
        Regularization.L2 => new(lambda, 0),
        Regularization.ElasticNet => new(lambda * (1 - l1Ratio), lambda * l1Ratio),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown regularization."),
    };

    /// <summary>λ R(W) in full (smooth and L1 parts).</summary>
    public double Value(ReadOnlySpan<float> weights)
    {
        double squares = 0;
        double absolutes = 0;
        foreach (float w in weights)
        {
            squares += (double)w * w;
            absolutes += Math.Abs(w);
        }

        return (L2Weight * squares) + (L1Weight * absolutes);
    }

    /// <summary>The smooth part's value; adds its gradient 2 λ₂ W to <paramref name="gradient"/>.</summary>
    public double AddSmooth(ReadOnlySpan<float> weights, Span<double> gradient)
    {
        if (L2Weight == 0)
        {
            return 0;
        }

        double squares = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            squares += (double)weights[i] * weights[i];
            gradient[i] += 2 * L2Weight * weights[i];
        }

        return L2Weight * squares;
    }
}
