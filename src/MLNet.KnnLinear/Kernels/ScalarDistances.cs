namespace MLNet.KnnLinear.Kernels;

/// <summary>
/// Plain loops that define what every distance kernel must compute. They are the reference twins the
/// vectorised kernels are tested against, and the fallback when no SIMD path applies.
/// </summary>
internal static class ScalarDistances
{
    /// <summary>Σ (a_i − b_i)², summed left to right in single precision.</summary>
    public static float SquaredL2(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        CheckSameLength(a, b);
        float sum = 0f;
        for (int i = 0; i < a.Length; i++)
        {
            float d = a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }

    /// <summary>Σ |a_i − b_i|, summed left to right in single precision.</summary>
    public static float L1(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        CheckSameLength(a, b);
        float sum = 0f;
        for (int i = 0; i < a.Length; i++)
        {
            sum += MathF.Abs(a[i] - b[i]);
        }

        return sum;
    }

    /// <summary>Σ a_i b_i, summed left to right in single precision.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        CheckSameLength(a, b);
        float sum = 0f;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>
    /// Cosine distance 1 − a·b / (‖a‖ ‖b‖) from scalar loops: the reference for the GEMM-based cosine search.
    /// A zero vector has no direction: its distance to anything is defined as 1.
    /// </summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float normA = MathF.Sqrt(Dot(a, a));
        float normB = MathF.Sqrt(Dot(b, b));
        if (normA == 0f || normB == 0f)
        {
            return 1f;
        }

        return 1f - (Dot(a, b) / (normA * normB));
    }

    internal static void CheckSameLength(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Vectors must have the same length; got {a.Length} and {b.Length}.");
        }
    }
}
