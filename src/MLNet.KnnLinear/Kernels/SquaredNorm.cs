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
}
