using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNet.KnnLinear.Kernels;

/// <summary>
/// Σ x_k² as one FMA chain in k order: the same rounding as a dot product of x with itself in <see cref="DotTile"/>,
/// so ‖q‖² − 2 q·x + ‖x‖² is exactly 0 when q equals x. O(n) and off the hot path (once per row at fit, per query at search).
/// </summary>
internal static class SquaredNorm
{
    public static float Compute(ReadOnlySpan<float> x)
    {
        float sum = 0f;
        foreach (float v in x)
        {
            sum = MathF.FusedMultiplyAdd(v, v, sum);
        }

        return sum;
    }

    /// <summary>
    /// The norms of the 16 rows of one packed panel (k-major: 16 values per k), each the same FMA chain in k order as
    /// <see cref="Compute"/>, so bit-identical to it; the 16 chains run side by side in two Vector256 registers
    /// instead of one latency-bound chain per row.
    /// </summary>
    public static void ComputePanel(ReadOnlySpan<float> panel, int dimension, Span<float> norms)
    {
        if (Fma.IsSupported && Avx.IsSupported)
        {
            var low = Vector256<float>.Zero;
            var high = Vector256<float>.Zero;
            for (int k = 0; k < dimension; k++)
            {
                var a = Vector256.Create(panel.Slice(k * 16, 8));
                var b = Vector256.Create(panel.Slice((k * 16) + 8, 8));
                low = Fma.MultiplyAdd(a, a, low);
                high = Fma.MultiplyAdd(b, b, high);
            }

            low.CopyTo(norms);
            high.CopyTo(norms[8..]);
            return;
        }

#if NET9_0_OR_GREATER
        if (DotTile.IsAccelerated128)
        {
            ComputePanelVector128(panel, dimension, norms);
            return;
        }
#endif

        ComputePanelScalar(panel, dimension, norms);
    }

#if NET9_0_OR_GREATER
    /// <summary>The 16-byte path of <see cref="ComputePanel"/>: four vectors of four chains, the same FMA chains.</summary>
    public static void ComputePanelVector128(ReadOnlySpan<float> panel, int dimension, Span<float> norms)
    {
        var s0 = Vector128<float>.Zero;
        var s1 = Vector128<float>.Zero;
        var s2 = Vector128<float>.Zero;
        var s3 = Vector128<float>.Zero;
        for (int k = 0; k < dimension; k++)
        {
            var row = panel.Slice(k * 16, 16);
            var v0 = Vector128.Create(row[..4]);
            var v1 = Vector128.Create(row.Slice(4, 4));
            var v2 = Vector128.Create(row.Slice(8, 4));
            var v3 = Vector128.Create(row.Slice(12, 4));
            s0 = Vector128.FusedMultiplyAdd(v0, v0, s0);
            s1 = Vector128.FusedMultiplyAdd(v1, v1, s1);
            s2 = Vector128.FusedMultiplyAdd(v2, v2, s2);
            s3 = Vector128.FusedMultiplyAdd(v3, v3, s3);
        }

        s0.CopyTo(norms);
        s1.CopyTo(norms[4..]);
        s2.CopyTo(norms[8..]);
        s3.CopyTo(norms[12..]);
    }
#endif

    /// <summary>The scalar twin of <see cref="ComputePanel"/>.</summary>
    public static void ComputePanelScalar(ReadOnlySpan<float> panel, int dimension, Span<float> norms)
    {
        for (int lane = 0; lane < 16; lane++)
        {
            float sum = 0f;
            for (int k = 0; k < dimension; k++)
            {
                float v = panel[(k * 16) + lane];
                sum = MathF.FusedMultiplyAdd(v, v, sum);
            }

            norms[lane] = sum;
        }
    }
}
