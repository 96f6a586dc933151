using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLNet.KnnLinear.Kernels;

/// <summary>
/// L1 (Manhattan) distance Σ |a_i − b_i| of two float vectors. TensorPrimitives has no fused L1 distance, so this
/// is hand-vectorised: Vector256 with four independent accumulators (hides the add latency), a Vector256 tail loop,
/// then a scalar tail; where 32-byte vectors are not accelerated (Arm64, x86 without AVX2) the same on Vector128.
/// Its reference twin is <see cref="ScalarDistances.L1"/>.
/// </summary>
internal static class L1Distance
{
    public static float Compute(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ScalarDistances.CheckSameLength(a, b);
        if (!Vector256.IsHardwareAccelerated || a.Length < Vector256<float>.Count)
        {
            return Vector128.IsHardwareAccelerated && a.Length >= Vector128<float>.Count ? ComputeVector128(a, b) : ScalarDistances.L1(a, b);
        }

        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        int width = Vector256<float>.Count;
        int n = a.Length;
        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        var acc2 = Vector256<float>.Zero;
        var acc3 = Vector256<float>.Zero;
        int i = 0;
        for (; i <= n - (4 * width); i += 4 * width)
        {
            acc0 += Vector256.Abs(Load(ref pa, i) - Load(ref pb, i));
            acc1 += Vector256.Abs(Load(ref pa, i + width) - Load(ref pb, i + width));
            acc2 += Vector256.Abs(Load(ref pa, i + (2 * width)) - Load(ref pb, i + (2 * width)));
            acc3 += Vector256.Abs(Load(ref pa, i + (3 * width)) - Load(ref pb, i + (3 * width)));
        }

        for (; i <= n - width; i += width)
        {
            acc0 += Vector256.Abs(Load(ref pa, i) - Load(ref pb, i));
        }

        float sum = Vector256.Sum((acc0 + acc1) + (acc2 + acc3));
        for (; i < n; i++)
        {
            sum += MathF.Abs(Unsafe.Add(ref pa, i) - Unsafe.Add(ref pb, i));
        }

        return sum;
    }

    /// <summary>The 16-byte path: the same four accumulators and tails on Vector128.</summary>
    public static float ComputeVector128(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ScalarDistances.CheckSameLength(a, b);
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        int width = Vector128<float>.Count;
        int n = a.Length;
        var acc0 = Vector128<float>.Zero;
        var acc1 = Vector128<float>.Zero;
        var acc2 = Vector128<float>.Zero;
        var acc3 = Vector128<float>.Zero;
        int i = 0;
        for (; i <= n - (4 * width); i += 4 * width)
        {
            acc0 += Vector128.Abs(Load128(ref pa, i) - Load128(ref pb, i));
            acc1 += Vector128.Abs(Load128(ref pa, i + width) - Load128(ref pb, i + width));
            acc2 += Vector128.Abs(Load128(ref pa, i + (2 * width)) - Load128(ref pb, i + (2 * width)));
            acc3 += Vector128.Abs(Load128(ref pa, i + (3 * width)) - Load128(ref pb, i + (3 * width)));
        }

        for (; i <= n - width; i += width)
        {
            acc0 += Vector128.Abs(Load128(ref pa, i) - Load128(ref pb, i));
        }

        float sum = Vector128.Sum((acc0 + acc1) + (acc2 + acc3));
        for (; i < n; i++)
        {
            sum += MathF.Abs(Unsafe.Add(ref pa, i) - Unsafe.Add(ref pb, i));
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load(ref float start, int offset) => Vector256.LoadUnsafe(ref start, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Load128(ref float start, int offset) => Vector128.LoadUnsafe(ref start, (nuint)offset);
}
