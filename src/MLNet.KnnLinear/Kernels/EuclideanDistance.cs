using System.Numerics.Tensors;

namespace MLNet.KnnLinear.Kernels;

/// <summary>
/// Euclidean distance √Σ (a_i − b_i)², from the differences directly (not by the ‖a‖² − 2a·b + ‖b‖² expansion,
/// which loses precision when the vectors are far from the origin). TensorPrimitives.Distance is the vectorised
/// kernel; its reference twin is √<see cref="ScalarDistances.SquaredL2"/>.
/// </summary>
internal static class EuclideanDistance
{
    public static float Compute(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ScalarDistances.CheckSameLength(a, b);
        return a.Length == 0 ? 0f : TensorPrimitives.Distance(a, b);
    }
}
