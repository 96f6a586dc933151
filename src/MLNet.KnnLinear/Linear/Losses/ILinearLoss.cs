namespace MLNet.KnnLinear.Linear.Losses;

/// <summary>A data loss on one example's class scores: its value and its gradient with respect to the scores.</summary>
internal interface ILinearLoss
{
    /// <summary>Returns Lᵢ for <paramref name="scores"/> and true class <paramref name="label"/>; writes ∂Lᵢ/∂s into <paramref name="gradient"/>.</summary>
    double Compute(ReadOnlySpan<float> scores, int label, Span<float> gradient);
}
