using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>Copies feature vectors out of ML.NET buffers (dense or sparse) into flat arrays, rejecting NaN and infinities.</summary>
internal static class FeatureVectors
{
    public static void CopyFinite(in VBuffer<float> source, Span<float> destination, string columnName)
    {
        if (source.Length != destination.Length)
        {
            throw new InvalidOperationException($"Feature column '{columnName}' has a vector of {source.Length} values; expected {destination.Length}.");
        }

        source.CopyTo(destination);
        for (int i = 0; i < destination.Length; i++)
        {
            if (!float.IsFinite(destination[i]))
            {
                throw new InvalidOperationException($"Feature column '{columnName}' holds {destination[i].ToString(System.Globalization.CultureInfo.InvariantCulture)} at slot {i}; features must be finite numbers (replace missing values first, e.g. with ReplaceMissingValues).");
            }
        }
    }
}
