using System.Numerics.Tensors;

namespace MLNet.KnnLinear.Kernels;

/// <summary>
/// Cosine distance 1 − a·b / (‖a‖ ‖b‖) given the two norms (cached by the index, so each pair costs one dot
/// product). A zero vector has no direction: its distance to anything is defined as 1.
/// </summary>
internal static class CosineDistance
{
    public static float Compute(ReadOnlySpan<float> a, float normA, ReadOnlySpan<float> b, float normB)
    {
        ScalarDistances.CheckSameLength(a, b);
        if (normA == 0f || normB == 0f)
        {
            return 1f;
        }

        return 1f - (TensorPrimitives.Dot(a, b) / (normA * normB));
    }

    /// <summary>The reference twin: the same formula from scalar loops.</summary>
    public static float ComputeScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float normA = MathF.Sqrt(ScalarDistances.Dot(a, a));
        float normB = MathF.Sqrt(ScalarDistances.Dot(b, b));
        if (normA == 0f || normB == 0f)
        {
            return 1f;
        }

        return 1f - (ScalarDistances.Dot(a, b) / (normA * normB));
    }

    public static float Norm(ReadOnlySpan<float> a) => a.Length == 0 ? 0f : TensorPrimitives.Norm(a);
}
