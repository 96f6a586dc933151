namespace MLNet.KnnLinear.Linear.Losses;

/// <summary>A data loss on one example's class scores: its value and its gradient with respect to the scores.</summary>
internal interface ILinearLoss
{
    /// <summary>Returns Lᵢ for <paramref name="scores"/> and true class <paramref name="label"/>; writes ∂Lᵢ/∂s into <paramref name="gradient"/>.</summary>
    double Compute(ReadOnlySpan<float> scores, int label, Span<float> gradient);
}

/// <summary>The loss object for each <see cref="LinearLoss"/>.</summary>
internal static class LinearLosses
{
    /// <summary>
    /// The loss <paramref name="kind"/> with margin Δ = <paramref name="margin"/> (hinge losses only);
    /// <paramref name="hingeSmoothing"/> is the Huber smoothing μ of <see cref="LinearLoss.Hinge"/> (0: the exact hinge).
    /// </summary>
    public static ILinearLoss Create(LinearLoss kind, float margin, double hingeSmoothing = 0) => kind switch
    {
        LinearLoss.Hinge => new HingeLoss(margin, hingeSmoothing),
        LinearLoss.Softmax => SoftmaxLoss.Instance,
        LinearLoss.SquaredHinge => new SquaredHingeLoss(margin),
        LinearLoss.OneVersusRestSquaredHinge => new OneVersusRestSquaredHingeLoss(margin),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown loss."),
    };
}
