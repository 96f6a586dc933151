using System.Numerics.Tensors;

namespace MLNet.KnnLinear.Imaging;

/// <summary>
/// Block normalisation. scikit-image's formulas (ε = 1e-5) for every method; with trilinear voting, L2Hys uses
/// OpenCV's constants instead (v / (‖v‖₂ + 0.1·length), clip, v / (‖v‖₂ + 1e-3)) so that mode reproduces
/// HOGDescriptor. Sums are taken in double.
/// </summary>
internal static class HogBlockNormalizer
{
    private const double Epsilon = 1e-5;
    private const float HysteresisClip = 0.2f;

    public static void Normalize(Span<float> block, HogBlockNormalization method, HogVoting voting)
    {
        switch (method)
        {
            case HogBlockNormalization.L1:
                Scale(block, 1.0 / (L1(block) + Epsilon));
                break;
            case HogBlockNormalization.L1Sqrt:
                Scale(block, 1.0 / (L1(block) + Epsilon));
                TensorPrimitives.Sqrt(block, block);
                break;
            case HogBlockNormalization.L2:
                Scale(block, 1.0 / Math.Sqrt(SumOfSquares(block) + (Epsilon * Epsilon)));
                break;
            case HogBlockNormalization.L2Hys when voting == HogVoting.Trilinear:
                Scale(block, 1.0 / (Math.Sqrt(SumOfSquares(block)) + (0.1 * block.Length)));
                TensorPrimitives.Min(block, HysteresisClip, block);
                Scale(block, 1.0 / (Math.Sqrt(SumOfSquares(block)) + 1e-3));
                break;
            case HogBlockNormalization.L2Hys:
                Scale(block, 1.0 / Math.Sqrt(SumOfSquares(block) + (Epsilon * Epsilon)));
                TensorPrimitives.Min(block, HysteresisClip, block);
                Scale(block, 1.0 / Math.Sqrt(SumOfSquares(block) + (Epsilon * Epsilon)));
                break;
        }
    }

    // Histogram values are non-negative, so the L1 norm is their sum.
    private static double L1(ReadOnlySpan<float> block)
    {
        double sum = 0;
        foreach (float v in block)
        {
            sum += Math.Abs(v);
        }

        return sum;
    }

    private static double SumOfSquares(ReadOnlySpan<float> block)
    {
        double sum = 0;
        foreach (float v in block)
        {
            sum += (double)v * v;
        }

        return sum;
    }

    private static void Scale(Span<float> block, double factor) => TensorPrimitives.Multiply(block, (float)factor, block);
}
