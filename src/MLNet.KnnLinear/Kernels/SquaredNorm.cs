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

        ComputePanelScalar(panel, dimension, norms);
    }

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
