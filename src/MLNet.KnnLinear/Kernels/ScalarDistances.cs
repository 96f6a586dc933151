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

    internal static void CheckSameLength(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Vectors must have the same length; got {a.Length} and {b.Length}.");
        }
    }
}
