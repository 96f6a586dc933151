using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>Receives one validated feature row (valid only during the call).</summary>
internal delegate void RowSink(ReadOnlySpan<float> row);

/// <summary>Receives one Byte feature row (valid only during the call).</summary>
internal delegate void ByteRowSink(ReadOnlySpan<byte> row);

/// <summary>
/// Training data read into memory in one cursor pass: features (row-major), 0-based classes, and optional example
/// weights. Rows whose label key is missing (0) are skipped, as ML.NET's trainers do; NaN or infinite features and
/// negative or non-finite weights fail with the column's name.
/// </summary>
internal sealed class LabelledRows
{
    private LabelledRows(float[] features, int[] classes, float[]? weights, int dimension, int classCount, long skipped)
    {
        Features = features;
        Classes = classes;
        Weights = weights;
        Dimension = dimension;
        ClassCount = classCount;
        Skipped = skipped;
    }

    public float[] Features { get; }

    public int[] Classes { get; }

    public float[]? Weights { get; }

    public int Dimension { get; }

    public int ClassCount { get; }

    public int Count => Classes.Length;

    /// <summary>Rows skipped for a missing label.</summary>
    public long Skipped { get; }

    /// <param name="input">The data.</param>
    /// <param name="label">The key-typed label column.</param>
    /// <param name="features">The feature vector column.</param>
    /// <param name="weight">The example weight column, or null.</param>
    /// <param name="paddingRows">Zero rows appended after the last feature row (for kernels that read whole tiles).</param>
    /// <param name="sink">
    /// When given, each validated feature row goes to it instead of being kept (<see cref="Features"/> is then empty),
    /// so a consumer with its own layout (the kNN index) holds the data once.
    /// </param>
    /// <param name="byteSink">
    /// When given, a Byte feature column is accepted and its rows go to it as bytes (no float round trip); a Single
    /// column still goes to <paramref name="sink"/>.
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    public static LabelledRows Read(IDataView input, DataViewSchema.Column label, DataViewSchema.Column features, DataViewSchema.Column? weight, int paddingRows = 0, RowSink? sink = null, ByteRowSink? byteSink = null)
    {
        int classCount = ColumnChecks.RequireKey(label, "Label");
        (int dimension, bool bytes) = ColumnChecks.RequireFeatureVector(features, "Feature", allowBytes: byteSink is not null);
        // With a known row count (and no missing labels) the buffers are filled exactly: one allocation, no copies.
        long expected = input.GetRowCount() ?? 256;
        var rows = new GrowableArray<float>(sink is null && !bytes ? (expected + paddingRows) * dimension : 1);
        var row = sink is null || bytes ? null : new float[dimension];
        var byteRow = bytes ? new byte[dimension] : null;
        var classes = new GrowableArray<int>(expected);
        var weights = weight is null ? null : new GrowableArray<float>(expected);
        long skipped = 0;
        var columns = weight is { } w ? new[] { label, features, w } : new[] { label, features };
        using (var cursor = input.GetRowCursor(columns))
        {
            var labelGetter = cursor.GetGetter<uint>(label);
            var featureGetter = bytes ? null : cursor.GetGetter<VBuffer<float>>(features);
            var byteGetter = bytes ? cursor.GetGetter<VBuffer<byte>>(features) : null;
            VBuffer<byte> byteVector = default;
            var weightGetter = weight is { } wc ? cursor.GetGetter<float>(wc) : null;
            uint key = 0;
            float exampleWeight = 1f;
            VBuffer<float> vector = default;
            while (cursor.MoveNext())
            {
                labelGetter(ref key);
                if (key == 0)
                {
                    skipped++;
                    continue;
                }

                if (weightGetter is not null)
                {
                    weightGetter(ref exampleWeight);
                    if (!(exampleWeight >= 0f) || float.IsInfinity(exampleWeight))
                    {
                        throw new InvalidOperationException($"Weight column '{weight!.Value.Name}' holds {exampleWeight.ToString(System.Globalization.CultureInfo.InvariantCulture)} at row {cursor.Position}; weights must be finite and non-negative.");
                    }

                    weights!.Append(1)[0] = exampleWeight;
                }

                if (byteGetter is not null)
                {
                    byteGetter(ref byteVector);
                    if (byteVector.Length != dimension)
                    {
                        throw new InvalidOperationException($"Feature column '{features.Name}' has a vector of {byteVector.Length} values; expected {dimension}.");
                    }

                    // A dense vector (the usual case) goes to the sink where it is; a sparse one is expanded first.
                    if (byteVector.IsDense)
                    {
                        byteSink!(byteVector.GetValues());
                    }
                    else
                    {
                        byteVector.CopyTo(byteRow!);
                        byteSink!(byteRow);
                    }
                }
                else if (sink is null)
                {
                    featureGetter!(ref vector);
                    FeatureVectors.CopyChecked(vector, rows.Append(dimension), features.Name);
                }
                else
                {
                    featureGetter!(ref vector);
                    FeatureVectors.CopyChecked(vector, row, features.Name);
                    sink(row);
                }

                classes.Append(1)[0] = (int)key - 1;
            }
        }

        if (classes.Count == 0)
        {
            throw new InvalidOperationException($"The training data has no rows with a label (column '{label.Name}'{(skipped > 0 ? $"; {skipped} rows had a missing label" : string.Empty)}).");
        }

        if (sink is null && byteSink is null)
        {
            rows.Append(paddingRows * dimension).Clear();
        }

        return new LabelledRows(rows.ToArray(), classes.ToArray(), weights?.ToArray(), dimension, classCount, skipped);
    }
}
