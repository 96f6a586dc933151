namespace MLNet.KnnLinear.Linear.Losses;

/// <summary>
/// Softmax cross-entropy, computed stably: log Σ_j e^{s_j} = m + log Σ_j e^{s_j − m} with m = max s.
/// Gradient: pⱼ − [j = y] with p = softmax(s).
/// </summary>
internal sealed class SoftmaxLoss : ILinearLoss
{
    public static readonly SoftmaxLoss Instance = new();

    public double Compute(ReadOnlySpan<float> scores, int label, Span<float> gradient)
    {
        double logSum = LogSumExp(scores);
        for (int j = 0; j < scores.Length; j++)
        {
            gradient[j] = (float)Math.Exp(scores[j] - logSum);
        }

        gradient[label] -= 1f;
        return logSum - scores[label];
    }

    /// <summary>softmax(<paramref name="scores"/>) into <paramref name="probabilities"/>.</summary>
    public static void Probabilities(ReadOnlySpan<float> scores, Span<float> probabilities)
    {
        double logSum = LogSumExp(scores);
        for (int j = 0; j < scores.Length; j++)
        {
            probabilities[j] = (float)Math.Exp(scores[j] - logSum);
        }
    }

    /// <summary>log Σ_j e^{s_j}, shifted by the maximum so no exponential overflows.</summary>
    private static double LogSumExp(ReadOnlySpan<float> scores)
    {
        float max = float.NegativeInfinity;
        foreach (float s in scores)
        {
            max = MathF.Max(max, s);
        }

        double sum = 0;
        foreach (float s in scores)
        {
            sum += Math.Exp(s - max);
        }

        return max + Math.Log(sum);
    }
}
