using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNet.KnnLinear.Imaging;

/// <summary>
/// The colour HoG's per-pixel choice of channel: where another channel's gradient is stronger (x² + y² in float,
/// larger, or equal when ties go to the later channel), its gradient replaces the kept one. A select, not a branch:
/// on photos and noise the strongest channel changes unpredictably from pixel to pixel. The Vector256 and Vector128
/// paths do the scalar twin's float operations, so all three keep the same gradients.
/// </summary>
internal static class HogStrongestChannel
{
    /// <summary>The path <see cref="Merge"/> takes here: "vector256", "vector128" or "scalar".</summary>
    public static string Path => Vector256.IsHardwareAccelerated ? "vector256" : Vector128.IsHardwareAccelerated ? "vector128" : "scalar";

    /// <summary>
    /// Keeps, per pixel, the stronger of the kept gradient (<paramref name="gx"/>, <paramref name="gy"/>, with
    /// <paramref name="magnitude"/> = x² + y²) and the other channel's (<paramref name="otherX"/>, <paramref name="otherY"/>).
    /// </summary>
    public static void Merge(ReadOnlySpan<float> otherX, ReadOnlySpan<float> otherY, bool tiesToOther, Span<float> gx, Span<float> gy, Span<float> magnitude)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            MergeVector256(otherX, otherY, tiesToOther, gx, gy, magnitude);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            MergeVector128(otherX, otherY, tiesToOther, gx, gy, magnitude);
        }
        else
        {
            MergeScalar(otherX, otherY, tiesToOther, gx, gy, magnitude);
        }
    }

    /// <summary>The reference twin, one pixel at a time.</summary>
    public static void MergeScalar(ReadOnlySpan<float> otherX, ReadOnlySpan<float> otherY, bool tiesToOther, Span<float> gx, Span<float> gy, Span<float> magnitude)
    {
        for (int i = 0; i < otherX.Length; i++)
        {
            float m = (otherX[i] * otherX[i]) + (otherY[i] * otherY[i]);
            if (m > magnitude[i] || (tiesToOther && m == magnitude[i]))
            {
                magnitude[i] = m;
                gx[i] = otherX[i];
                gy[i] = otherY[i];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MergeVector256(ReadOnlySpan<float> otherX, ReadOnlySpan<float> otherY, bool tiesToOther, Span<float> gx, Span<float> gy, Span<float> magnitude)
    {
        int n = otherX.Length;
        int whole = n - (n % Vector256<float>.Count);
        var ties = tiesToOther ? Vector256<float>.AllBitsSet : Vector256<float>.Zero;
        for (int i = 0; i < whole; i += Vector256<float>.Count)
        {
            var x = Vector256.Create(otherX.Slice(i, Vector256<float>.Count));
            var y = Vector256.Create(otherY.Slice(i, Vector256<float>.Count));
            var kept = Vector256.Create(magnitude.Slice(i, Vector256<float>.Count));
            var m = (x * x) + (y * y);
            var take = Vector256.GreaterThan(m, kept) | (ties & Vector256.Equals(m, kept));
            Vector256.ConditionalSelect(take, m, kept).CopyTo(magnitude.Slice(i, Vector256<float>.Count));
            Vector256.ConditionalSelect(take, x, Vector256.Create(gx.Slice(i, Vector256<float>.Count))).CopyTo(gx.Slice(i, Vector256<float>.Count));
            Vector256.ConditionalSelect(take, y, Vector256.Create(gy.Slice(i, Vector256<float>.Count))).CopyTo(gy.Slice(i, Vector256<float>.Count));
        }

        MergeScalar(otherX[whole..], otherY[whole..], tiesToOther, gx[whole..], gy[whole..], magnitude[whole..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MergeVector128(ReadOnlySpan<float> otherX, ReadOnlySpan<float> otherY, bool tiesToOther, Span<float> gx, Span<float> gy, Span<float> magnitude)
    {
        int n = otherX.Length;
        int whole = n - (n % Vector128<float>.Count);
        var ties = tiesToOther ? Vector128<float>.AllBitsSet : Vector128<float>.Zero;
        for (int i = 0; i < whole; i += Vector128<float>.Count)
        {
            var x = Vector128.Create(otherX.Slice(i, Vector128<float>.Count));
            var y = Vector128.Create(otherY.Slice(i, Vector128<float>.Count));
            var kept = Vector128.Create(magnitude.Slice(i, Vector128<float>.Count));
            var m = (x * x) + (y * y);
            var take = Vector128.GreaterThan(m, kept) | (ties & Vector128.Equals(m, kept));
            Vector128.ConditionalSelect(take, m, kept).CopyTo(magnitude.Slice(i, Vector128<float>.Count));
            Vector128.ConditionalSelect(take, x, Vector128.Create(gx.Slice(i, Vector128<float>.Count))).CopyTo(gx.Slice(i, Vector128<float>.Count));
            Vector128.ConditionalSelect(take, y, Vector128.Create(gy.Slice(i, Vector128<float>.Count))).CopyTo(gy.Slice(i, Vector128<float>.Count));
        }

        MergeScalar(otherX[whole..], otherY[whole..], tiesToOther, gx[whole..], gy[whole..], magnitude[whole..]);
    }
}
