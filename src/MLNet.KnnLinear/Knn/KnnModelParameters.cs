using MLNet.KnnLinear.Knn;
using MLNet.KnnLinear.Pipeline;
using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear;

/// <summary>
/// A fitted k-nearest-neighbours model: the memorised training rows and their classes, searched exactly
/// (every query is compared with every row). Immutable and safe to use from several threads.
/// </summary>
/// <remarks>
/// Prediction cost: O(training rows × features) per query; memory: training rows × features × 4 bytes.
/// </remarks>
public sealed class KnnModelParameters
{
    private readonly FlatIndex _index;
    private readonly int[] _classes;

    internal KnnModelParameters(FlatIndex index, int[] classes, int classCount, int numberOfNeighbors, KnnWeighting weighting)
    {
        if (classes.Length != index.Count)
        {
            throw new ArgumentException($"{classes.Length} classes for {index.Count} rows.", nameof(classes));
        }

        _index = index;
        _classes = classes;
        ClassCount = classCount;
        NumberOfNeighbors = numberOfNeighbors;
        Weighting = weighting;
    }

    /// <summary>The length of the feature vectors.</summary>
    public int FeatureCount => _index.Dimension;

    /// <summary>The number of classes: the label key's cardinality, so also the length of <c>Score</c>.</summary>
    public int ClassCount { get; }

    /// <summary>The number of memorised training rows.</summary>
    public int TrainingRowCount => _index.Count;

    /// <summary>k, the number of neighbours that vote.</summary>
    public int NumberOfNeighbors { get; }

    /// <summary>The distance neighbours are found by.</summary>
    public KnnDistance Distance => _index.Distance;

    /// <summary>How votes are weighted.</summary>
    public KnnWeighting Weighting { get; }

    /// <summary>
    /// Memory held for the training rows, in bytes: 4 per value (padded to panels of 16 rows) for L2 and cosine; for
    /// L1 on raw pixels (whole numbers 0..255), 1 per value.
    /// </summary>
    public long IndexSizeInBytes => _index.MemoryBytes;

    /// <summary>The 0-based class of each training row.</summary>
    public IReadOnlyList<int> TrainingClasses => _classes;

    /// <summary>The features of training row <paramref name="row"/> (a copy).</summary>
    public float[] GetTrainingRow(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, TrainingRowCount);
        var features = new float[FeatureCount];
        _index.CopyRow(row, features);
        return features;
    }

    /// <summary>
    /// The <paramref name="count"/> training rows nearest to <paramref name="features"/> (default: k), nearest
    /// first, ties by row number: the neighbours behind a prediction, e.g. to show a test image beside them.
    /// </summary>
    public KnnNeighbor[] FindNearestNeighbors(ReadOnlySpan<float> features, int? count = null)
    {
        int n = count ?? NumberOfNeighbors;
        if (features.Length != FeatureCount)
        {
            throw new ArgumentException($"Expected {FeatureCount} features, got {features.Length}.", nameof(features));
        }

        if (n < 1 || n > TrainingRowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(count), n, $"The count must be between 1 and the {TrainingRowCount} training rows.");
        }

        var distances = new float[n];
        var rows = new int[n];
        _index.Search(features, n, distances, rows);
        var result = new KnnNeighbor[n];
        for (int i = 0; i < n; i++)
        {
            result[i] = new KnnNeighbor(rows[i], distances[i], _classes[rows[i]]);
        }

        return result;
    }

    /// <summary>
    /// Scores (vote fractions, <see cref="ClassCount"/> per query) and predicted 0-based classes of
    /// <c>queries.Length / FeatureCount</c> queries.
    /// </summary>
    internal void Predict(ReadOnlySpan<float> queries, Span<float> scores, Span<int> predicted)
    {
        int queryCount = queries.Length / FeatureCount;
        int k = NumberOfNeighbors;
        var distances = new float[queryCount * k];
        var rows = new int[queryCount * k];
        _index.Search(queries, k, distances, rows);
        var neighborClasses = new int[k];
        for (int q = 0; q < queryCount; q++)
        {
            for (int i = 0; i < k; i++)
            {
                neighborClasses[i] = _classes[rows[(q * k) + i]];
            }

            predicted[q] = KnnVoting.Vote(distances.AsSpan(q * k, k), neighborClasses, Weighting, scores.Slice(q * ClassCount, ClassCount));
        }
    }

    internal void Write(BinaryWriter writer)
    {
        writer.Write(FeatureCount);
        writer.Write(TrainingRowCount);
        writer.Write(ClassCount);
        writer.Write(NumberOfNeighbors);
        writer.Write((int)Distance);
        writer.Write((int)Weighting);
        writer.WriteArray<int>(_classes);
        writer.Write(_index.StoresBytes);
        if (_index.StoresBytes)
        {
            writer.WriteArray(_index.ByteRows);
            return;
        }

        var row = new float[FeatureCount];
        for (int r = 0; r < TrainingRowCount; r++)
        {
            _index.CopyRow(r, row);
            writer.WriteArray<float>(row);
        }
    }

    /// <summary>
    /// Reads a model written by <see cref="Write"/>. The class count is allocated per predicted row but backed by no
    /// bytes of its own, so it is bounded by what is: the training rows, or the stored class names.
    /// </summary>
    internal static KnnModelParameters Read(ModelStateReader reader, int maxThreads, int storedClassNames)
    {
        int features = reader.ReadInt32("feature count", 1);
        int rows = reader.ReadCount("training row count", sizeof(int) + 1, 1);
        int classCount = reader.ReadInt32("class count", 1, Math.Max(rows, storedClassNames));
        int k = reader.ReadInt32("number of neighbors", 1, rows);
        var distance = reader.ReadEnum<KnnDistance>("distance");
        var weighting = reader.ReadEnum<KnnWeighting>("weighting");
        int[] classes = reader.ReadArray<int>(rows, "training classes");
        foreach (int c in classes)
        {
            if (c < 0 || c >= classCount)
            {
                throw reader.Invalid($"training class {c} is outside 0 .. {classCount - 1}");
            }
        }

        bool bytes = reader.ReadBoolean("rows stored as bytes");
        if (bytes && distance != KnnDistance.L1)
        {
            throw reader.Invalid($"byte rows are only stored for L1, but the distance is {distance}");
        }

        var index = bytes
            ? new FlatIndex(reader.ReadArray<byte>((long)rows * features, "training rows"), features, maxThreads)
            : new FlatIndex(reader.ReadArray<float>((long)rows * features, "training rows"), features, distance, maxThreads);
        return new KnnModelParameters(index, classes, classCount, k, weighting);
    }
}
