using MLNet.KnnLinear.Knn;
using MLNet.KnnLinear.Pipeline;
using MLNet.KnnLinear.Search;
using MLNet.KnnLinear.Search.Hnsw;
using MLNet.KnnLinear.Search.Ivf;

namespace MLNet.KnnLinear;

/// <summary>
/// A fitted k-nearest-neighbours model: the memorised training rows and their classes in a <see cref="NeighborIndex"/>
/// (exact by default: every query is compared with every row). Safe to use from several threads: its index is
/// read-only (<see cref="NeighborIndex.IsReadOnly"/>; <see cref="KnnPredictionTransformer.WithSearchSize"/> makes a
/// model that searches with another search size).
/// </summary>
/// <remarks>
/// When an approximate index finds fewer than k neighbours, those found vote. When it finds none (every probed list
/// of an inverted file empty), <c>Score</c> is each class's share of the training rows and the prediction is the most
/// frequent training class (the lowest class index of a tie): a defined answer, never NaN.
/// </remarks>
/// <remarks>
/// Prediction cost with the exact index: O(training rows × features) per query; memory: training rows × features ×
/// 4 bytes (1 for L1 on raw pixels).
/// </remarks>
public sealed class KnnModelParameters
{
    private readonly NeighborIndex _index;
    private readonly int[] _classes;
    private readonly float[] _priorScores;
    private readonly int _priorClass;

    internal KnnModelParameters(NeighborIndex index, int[] classes, int classCount, int numberOfNeighbors, KnnWeighting weighting)
    {
        if (classes.Length != index.Count)
        {
            throw new ArgumentException($"{classes.Length} classes for {index.Count} rows.", nameof(classes));
        }

        _index = index.AsReadOnly();
        _classes = classes;
        ClassCount = classCount;
        NumberOfNeighbors = numberOfNeighbors;
        Weighting = weighting;
        (_priorScores, _priorClass) = Priors(classes, classCount);
    }

    /// <summary>
    /// The same model searching with another search size (an inverted file's probes, an HNSW graph's efSearch; see
    /// <see cref="NeighborIndex.SetSearchSize"/>), sharing the training rows and the index structure with this one.
    /// </summary>
    internal KnnModelParameters WithSearchSize(int probesOrEf)
        => new(_index.WithSearchSize(probesOrEf), _classes, ClassCount, NumberOfNeighbors, Weighting);

    /// <summary>Each class's share of the training rows, and the most frequent class (the lowest of any tie).</summary>
    private static (float[] Scores, int Class) Priors(int[] classes, int classCount)
    {
        var counts = new long[classCount];
        foreach (int c in classes)
        {
            counts[c]++;
        }

        var scores = new float[classCount];
        int best = 0;
        for (int c = 0; c < classCount; c++)
        {
            scores[c] = (float)((double)counts[c] / classes.Length);
            best = counts[c] > counts[best] ? c : best;
        }

        return (scores, best);
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
    /// L1 on raw pixels (whole numbers 0..255), 1 per value; plus an inverted file's centroids and row numbers.
    /// </summary>
    public long IndexSizeInBytes => _index.SizeInBytes;

    /// <summary>The index the training rows are searched in (row numbers are training row positions).</summary>
    public NeighborIndex Index => _index;

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
    /// first, ties by row number: the neighbours behind a prediction, e.g. to show a test image beside them. An
    /// approximate index may find fewer (then the array is shorter).
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
        _index.SearchRows(features, n, rows, distances);
        int found = rows.AsSpan().IndexOf(-1) is var missing and >= 0 ? missing : n;
        var result = new KnnNeighbor[found];
        for (int i = 0; i < found; i++)
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
        _index.SearchRows(queries, k, rows, distances);
        var neighborClasses = new int[k];
        for (int q = 0; q < queryCount; q++)
        {
            // An approximate index may find fewer than k (row −1 after the last found): those vote.
            int found = 0;
            while (found < k && rows[(q * k) + found] >= 0)
            {
                neighborClasses[found] = _classes[rows[(q * k) + found]];
                found++;
            }

            if (found == 0)
            {
                // No neighbour at all (an inverted file whose probed lists are empty): nothing votes, so the model
                // falls back on the training classes' shares, and predicts the most frequent class. The first
                // maximum of these scores is that class, as Evaluate requires.
                _priorScores.CopyTo(scores.Slice(q * ClassCount, ClassCount));
                predicted[q] = _priorClass;
                continue;
            }

            predicted[q] = KnnVoting.Vote(distances.AsSpan(q * k, found), neighborClasses.AsSpan(0, found), Weighting, scores.Slice(q * ClassCount, ClassCount));
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

        NeighborIndexState.Write(writer, _index);
    }

    /// <summary>
    /// Reads a model written by <see cref="Write"/>. The class count is allocated per predicted row but backed by no
    /// bytes of its own, so it is bounded by what is: the training rows, or the stored class names.
    /// </summary>
    internal static KnnModelParameters Read(ModelStateReader reader, int maxThreads, int storedClassNames, int version)
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

        var index = NeighborIndexState.Read(reader, features, rows, distance, maxThreads, version);
        return new KnnModelParameters(index, classes, classCount, k, weighting);
    }
}
