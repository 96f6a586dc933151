using MLNet.KnnLinear.Knn;
using MLNet.KnnLinear.Pipeline;
using MLNet.KnnLinear.Search;
using MLNet.KnnLinear.Search.Hnsw;
using MLNet.KnnLinear.Search.Ivf;

namespace MLNet.KnnLinear;

/// <summary>
/// A fitted k-nearest-neighbours model: the memorised training rows and their classes in a <see cref="NeighborIndex"/>
/// (exact by default: every query is compared with every row). Safe to use from several threads.
/// </summary>
/// <remarks>
/// Prediction cost with the exact index: O(training rows × features) per query; memory: training rows × features ×
/// 4 bytes (1 for L1 on raw pixels).
/// </remarks>
public sealed class KnnModelParameters
{
    private readonly NeighborIndex _index;
    private readonly int[] _classes;

    internal KnnModelParameters(NeighborIndex index, int[] classes, int classCount, int numberOfNeighbors, KnnWeighting weighting)
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
        _index.Inner.Search(features, n, distances, rows);
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
        _index.Inner.Search(queries, k, distances, rows);
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

        // The row layout byte: 0 exact floats, 1 exact bytes (both as in version 2, so an exact model's state is
        // unchanged), 2 an inverted file (state version 3) followed by its parts.
        if (_index.Ivf is { } ivf)
        {
            writer.Write((byte)RowLayout.InvertedFile);
            writer.Write(ivf.NumberOfLists);
            writer.Write(ivf.NumberOfProbes);
            writer.WriteArray(ivf.Centroids);
            for (int l = 0; l < ivf.NumberOfLists; l++)
            {
                writer.Write(ivf.ListRows(l).Length);
                writer.WriteArray(ivf.ListRows(l));
                writer.WriteArray<float>(ivf.ListValues(l));
            }

            return;
        }

        if (_index.Hnsw is { } hnsw)
        {
            writer.Write((byte)RowLayout.Hnsw);
            writer.Write(hnsw.M);
            writer.Write(hnsw.ConstructionSearchSize);
            writer.Write(hnsw.SearchSize);
            writer.Write(hnsw.Entry);
            writer.WriteArray(hnsw.Levels);
            writer.WriteArray(hnsw.Links);
            writer.WriteArray(hnsw.Rows);
            return;
        }

        var exact = _index.Exact!;
        writer.Write((byte)(exact.StoresBytes ? RowLayout.ExactBytes : RowLayout.ExactFloats));
        if (exact.StoresBytes)
        {
            writer.WriteArray(exact.ByteRows);
            return;
        }

        var row = new float[FeatureCount];
        for (int r = 0; r < TrainingRowCount; r++)
        {
            exact.CopyRow(r, row);
            writer.WriteArray<float>(row);
        }
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

        var layout = (RowLayout)reader.ReadByte("row layout");
        if (layout == RowLayout.InvertedFile && version >= 3)
        {
            return new KnnModelParameters(new NeighborIndex(ReadInvertedFile(reader, features, rows, distance, maxThreads)), classes, classCount, k, weighting);
        }

        if (layout == RowLayout.Hnsw && version >= 3)
        {
            return new KnnModelParameters(new NeighborIndex(ReadHnsw(reader, features, rows, distance, maxThreads)), classes, classCount, k, weighting);
        }

        if (layout is not (RowLayout.ExactFloats or RowLayout.ExactBytes))
        {
            throw reader.Invalid($"row layout {(int)layout} is not one of 0 (floats), 1 (bytes){(version >= 3 ? ", 2 (inverted file) or 3 (HNSW)" : string.Empty)}");
        }

        bool bytes = layout == RowLayout.ExactBytes;
        if (bytes && distance != KnnDistance.L1)
        {
            throw reader.Invalid($"byte rows are only stored for L1, but the distance is {distance}");
        }

        var index = bytes
            ? new FlatIndex(reader.ReadArray<byte>((long)rows * features, "training rows"), features, maxThreads)
            : new FlatIndex(reader.ReadArray<float>((long)rows * features, "training rows"), features, distance, maxThreads);
        return new KnnModelParameters(new NeighborIndex(index), classes, classCount, k, weighting);
    }

    private static IvfFlatIndex ReadInvertedFile(ModelStateReader reader, int features, int rows, KnnDistance distance, int maxThreads)
    {
        int lists = reader.ReadInt32("number of lists", 1, rows);
        int probes = reader.ReadInt32("number of probes", 1, lists);
        var centroids = reader.ReadArray<float>((long)lists * features, "centroids");
        var ids = new int[lists][];
        var values = new float[lists][];
        long total = 0;
        for (int l = 0; l < lists; l++)
        {
            int n = reader.ReadInt32("list size", 0, rows);
            total += n;
            if (total > rows)
            {
                throw reader.Invalid($"the lists hold more than the {rows} training rows");
            }

            ids[l] = reader.ReadArray<int>(n, "list rows");
            values[l] = reader.ReadArray<float>((long)n * features, "list values");
        }

        if (total != rows)
        {
            throw reader.Invalid($"the lists hold {total} rows; the model has {rows}");
        }

        try
        {
            return IvfFlatIndex.FromLists(centroids, ids, values, features, distance, probes, maxThreads);
        }
        catch (InvalidDataException e)
        {
            throw reader.Invalid(e.Message);
        }
    }

    private static HnswIndex ReadHnsw(ModelStateReader reader, int features, int rows, KnnDistance distance, int maxThreads)
    {
        int m = reader.ReadInt32("HNSW M", 2, 1 << 16);
        int efConstruction = reader.ReadInt32("efConstruction", 1);
        int efSearch = reader.ReadInt32("efSearch", 1);
        int entry = reader.ReadInt32("entry point", 0, rows - 1);
        int[] levels = reader.ReadArray<int>(rows, "node layers");
        foreach (int level in levels)
        {
            if (level < 0 || level > 15)
            {
                throw reader.Invalid($"a node's top layer is {level}, outside 0 .. 15");
            }
        }

        if (levels[entry] != levels.Max())
        {
            throw reader.Invalid($"the entry point {entry} is not on the top layer");
        }

        int[] links = reader.ReadArray<int>(HnswIndex.SlotCount(levels, m), "links");
        foreach (int link in links)
        {
            if (link < -1 || link >= rows)
            {
                throw reader.Invalid($"a link to {link} is outside the {rows} rows");
            }
        }

        float[] values = reader.ReadArray<float>((long)rows * features, "rows");
        return HnswIndex.FromParts(values, features, distance, m, efConstruction, efSearch, levels, links, entry, maxThreads);
    }

    /// <summary>How the rows are stored in the model state (2 and 3 from version 3 on).</summary>
    private enum RowLayout : byte
    {
        ExactFloats = 0,
        ExactBytes = 1,
        InvertedFile = 2,
        Hnsw = 3,
    }
}
