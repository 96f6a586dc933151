using System.Runtime.CompilerServices;
using System.Globalization;
using System.Numerics.Tensors;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// Copies feature vectors out of ML.NET buffers (dense or sparse) into flat arrays, rejecting NaN, infinities and
/// values beyond <see cref="MaxMagnitude"/>.
/// </summary>
internal static class FeatureVectors
{
    /// <summary>
    /// The largest feature magnitude the trainers accept: 1e15. Squared L2 distances and scores are float32 sums of
    /// products of features; at 1e15 a squared distance over 85 million features still stays below float's 3.4e38,
    /// while at 1e19 one pair of values already overflows. Beyond it results would be silently wrong, so the row is refused.
    /// </summary>
    public const float MaxMagnitude = 1e15f;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    public static void CopyChecked(in VBuffer<float> source, Span<float> destination, string columnName)
    {
        if (source.Length != destination.Length)
        {
            throw new InvalidOperationException($"Feature column '{columnName}' has a vector of {source.Length} values; expected {destination.Length}.");
        }

        source.CopyTo(destination);
        if (destination.IsEmpty)
        {
            return;
        }

        // One vectorised pass; NaN propagates through MaxMagnitude, so a NaN anywhere also fails the test.
        float largest = TensorPrimitives.MaxMagnitude(destination);
        if (MathF.Abs(largest) <= MaxMagnitude)
        {
            return;
        }

        for (int i = 0; i < destination.Length; i++)
        {
            float value = destination[i];
            string text = value.ToString(CultureInfo.InvariantCulture);
            if (!float.IsFinite(value))
            {
                throw new InvalidOperationException($"Feature column '{columnName}' holds {text} at slot {i}; features must be finite numbers (replace missing values first, e.g. with ReplaceMissingValues).");
            }

            if (MathF.Abs(value) > MaxMagnitude)
            {
                throw new InvalidOperationException($"Feature column '{columnName}' holds {text} at slot {i}; features must lie within ±1e15, beyond which float32 distances and scores overflow. Rescale the column first, e.g. with NormalizeMinMax or NormalizeMeanVariance.");
            }
        }
    }
}
