using MLNet.KnnLinear.Pipeline;
using MLNet.KnnLinear.Search.Quantization;

namespace MLNet.KnnLinear.Search.Ivf;

/// <summary>
/// An inverted file of exact lists (faiss' <c>IndexIVFFlat</c>): a coarse quantizer (k-means centroids, searched
/// exactly) sends each row to the list of its nearest centroid; each list is an exact <see cref="FlatIndex"/> of its
/// rows (matrix-product panels for L2 and cosine, bytes for L1 on pixels) with their row numbers. A batch of queries
/// is searched list by list: the queries probing a list are compared with it in one matrix-shaped scan, lists are
/// spread over threads, and each query keeps the best k by (distance, row number), so results do not depend on the
/// thread count. With a scalar quantizer the lists hold 8-bit codes (faiss' <c>IndexIVFScalarQuantizer</c>): of each
/// L2 row's residual from its list's centroid (queries are searched in a list as their residuals from its centroid,
/// which leaves every L2 distance as it is), or of cosine rows as they are.
/// </summary>
internal sealed class IvfFlatIndex : INeighborIndex
{
    private readonly float[] _centroids;
    /// <summary>
    /// The most bytes one storage chunk of a list's byte panels holds: 512 KiB (whole panels, at least one). Lists
    /// grow a batch at a time; in whole small chunks a list never copies itself to grow and holds at most one part
    /// chunk empty, where one block grown by quarters held up to a quarter of its bytes empty (the 750,000-row
    /// inverted file: 0.3 GB).
    /// </summary>
    public const long ListChunkBytes = 512L << 10;

    private readonly FlatIndex _quantizer;
    private readonly FlatIndex?[] _lists;
    private readonly int[][] _ids;
    private readonly int[] _listSizes;
    private int[] _listOfRow;
    private int[] _positionOfRow;
    private const int FilingChunkRows = 16_384;

    private readonly int _maxThreads;

    /// <summary>The scalar quantizer whose codes the lists hold; null when they hold rows as they are.</summary>
    public ScalarQuantizer? Quantizer { get; }

    /// <summary>Whether the lists hold codes of residuals from their centroids (faiss' <c>by_residual</c>).</summary>
    public bool ByResidual { get; }

    /// <summary>Threads a call uses at most now: this index's own limit (0: none) within <see cref="KnnLinearParallelism.MaxDegreeOfParallelism"/>.</summary>
    private int MaxThreads => KnnLinearParallelism.ThreadsFor(_maxThreads);

    private IvfFlatIndex(float[] centroids, int[][] ids, FlatIndex?[] lists, int dimension, KnnDistance distance, int probes, int maxThreads, ScalarQuantizer? quantizer = null, bool byResidual = false)
    {
        Quantizer = quantizer;
        ByResidual = byResidual;
        Dimension = dimension;
        Distance = distance;
        _centroids = centroids;
        _ids = ids;
        _lists = lists;
        _maxThreads = Math.Max(0, maxThreads);
        _quantizer = new FlatIndex(centroids, dimension, distance, _maxThreads);
        _listSizes = ids.Select(list => list.Length).ToArray();
        Count = ids.Sum(list => list.Length);
        _listOfRow = new int[Count];
        _positionOfRow = new int[Count];
        Array.Fill(_listOfRow, -1);
        for (int l = 0; l < ids.Length; l++)
        {
            for (int p = 0; p < ids[l].Length; p++)
            {
                int row = ids[l][p];
                if ((uint)row >= (uint)Count || _listOfRow[row] != -1)
                {
                    throw new InvalidDataException($"Inverted list {l} holds row {row}, which is out of range or in another list too.");
                }

                _listOfRow[row] = l;
                _positionOfRow[row] = p;
            }
        }

        NumberOfProbes = probes;
    }

    public int Dimension { get; }

    public int Count { get; private set; }

    public KnnDistance Distance { get; }

    public int NumberOfLists => _ids.Length;

    /// <summary>Lists searched per query; set between searches, not during one.</summary>
    public int NumberOfProbes { get; set; }

    /// <summary>A copy that probes <paramref name="probes"/> lists, sharing every list, centroid and row number with this one.</summary>
    public IvfFlatIndex WithProbes(int probes)
    {
        var copy = (IvfFlatIndex)MemberwiseClone();
        copy.NumberOfProbes = probes;
        return copy;
    }

    /// <summary>The centroids, lists × dimension, row-major.</summary>
    public ReadOnlySpan<float> Centroids => _centroids;

    /// <summary>The row numbers of list <paramref name="list"/>, in the list's order.</summary>
    public ReadOnlySpan<int> ListRows(int list) => _ids[list].AsSpan(0, _listSizes[list]);

    public long MemoryBytes => (4L * _centroids.Length) + _lists.Sum(l => l?.MemoryBytes ?? 0) + (4L * Count * 3);

    /// <summary>Trains the quantizer on <paramref name="rows"/> and files every row in its list.</summary>
    public static IvfFlatIndex Build(ReadOnlySpan<float> rows, int dimension, KnnDistance distance, IvfIndexOptions options, int maxThreads)
    {
        int count = rows.Length / dimension;
        options.Validate(count);
        if (options.IsScalarQuantized)
        {
            // Codes are made as rows are filed (Add): the same centroids as below, from the same sample.
            var encoded = Train(rows, dimension, distance, options, maxThreads);
            encoded.Add(rows);
            return encoded;
        }

        var centroids = TrainCentroids(rows, dimension, distance, options, maxThreads);
        var assignment = new int[count];
        var ignored = new float[count];
        var quantizer = new FlatIndex(centroids, dimension, distance, maxThreads);

        // In 16,384-row chunks: a search copies its queries, and all rows at once would be a second copy of the data.
        for (int begin = 0; begin < count; begin += FilingChunkRows)
        {
            int n = Math.Min(FilingChunkRows, count - begin);
            quantizer.Search(rows.Slice(begin * dimension, n * dimension), 1, ignored.AsSpan(begin, n), assignment.AsSpan(begin, n));
        }

        return FromAssignment(rows, assignment, centroids, dimension, distance, options.ProbesFor(centroids.Length / dimension), maxThreads);
    }

    /// <summary>
    /// <see cref="Build(ReadOnlySpan{float}, int, KnnDistance, IvfIndexOptions, int)"/> over byte rows (raw pixels) held in a <see cref="RowStore{T}"/>: k-means on the same sample
    /// rows, widened (so the same centroids), then the rows filed batch by batch as bytes; the lists hold the same rows in
    /// the same order as <see cref="Build(ReadOnlySpan{float}, int, KnnDistance, IvfIndexOptions, int)"/>'s, without a float copy of the data.
    /// </summary>
    public static IvfFlatIndex Build(RowStore<byte> rows, KnnDistance distance, IvfIndexOptions options, int maxThreads)
    {
        int dimension = rows.Dimension;
        var (lists, order) = SampleFor(rows.Count, options);
        IvfFlatIndex index;
        using (var sample = WidenedSample.From(rows, order))
        {
            index = Empty(sample.Values, dimension, distance, options, lists, maxThreads);
        }

        rows.ForEachChunk(index.Add);

        return index;
    }

    /// <summary>
    /// <see cref="Build(ReadOnlySpan{float}, int, KnnDistance, IvfIndexOptions, int)"/> over float rows held in a
    /// <see cref="RowStore{T}"/> (a fit's rows, not bound by one array): k-means on the same sample rows (so the same
    /// centroids), then the rows filed chunk by chunk in order, so the lists hold the same rows in the same order.
    /// </summary>
    public static IvfFlatIndex Build(RowStore<float> rows, KnnDistance distance, IvfIndexOptions options, int maxThreads)
    {
        int dimension = rows.Dimension;
        var (lists, order) = SampleFor(rows.Count, options);
        var sample = new float[checked((long)order.Length * dimension)];
        for (int i = 0; i < order.Length; i++)
        {
            rows.Row(order[i]).CopyTo(sample.AsSpan(i * dimension, dimension));
        }

        var index = Empty(sample, dimension, distance, options, lists, maxThreads);
        sample = null;
        rows.ForEachChunk(index.Add);
        return index;
    }

    /// <summary>
    /// <see cref="Train(ReadOnlySpan{float}, int, KnnDistance, IvfIndexOptions, int)"/> over byte rows (raw pixels):
    /// only the rows k-means samples are widened to floats, and the centroids are the ones the rows as floats give.
    /// </summary>
    public static IvfFlatIndex Train(ReadOnlySpan<byte> sample, int dimension, KnnDistance distance, IvfIndexOptions options, int maxThreads)
    {
        var (lists, order) = SampleFor(sample.Length / dimension, options);
        using var widened = WidenedSample.From(sample, dimension, order);
        return Empty(widened.Values, dimension, distance, options, lists, maxThreads);
    }

    /// <summary>The options checked for <paramref name="count"/> rows, the lists they give, and the rows k-means samples (<see cref="KMeans.SampleOrder"/>).</summary>
    internal static (int Lists, int[] Order) SampleFor(int count, IvfIndexOptions options)
    {
        options.Validate(count);
        int lists = options.ListsFor(count);
        return (lists, KMeans.SampleOrder(count, (long)lists * options.TrainingRowsPerList, options.Seed ?? 1));
    }

    /// <summary>An inverted file with no rows yet, its centroids trained on rows <see cref="KMeans.SampleOrder"/> chose (widened into <paramref name="sample"/>).</summary>
    private static IvfFlatIndex Empty(ReadOnlySpan<float> sample, int dimension, KnnDistance distance, IvfIndexOptions options, int lists, int maxThreads)
    {
        var centroids = KMeans.TrainOnSample(sample, dimension, TrainingDistance(distance), lists, options.KMeansIterations, maxThreads);
        var empty = Enumerable.Range(0, lists).Select(_ => Array.Empty<int>()).ToArray();
        if (!options.IsScalarQuantized)
        {
            return FromLists(centroids, empty, new float[lists][], dimension, distance, options.ProbesFor(lists), maxThreads);
        }

        bool byResidual = distance == KnnDistance.L2;
        var quantizer = TrainQuantizer(sample, centroids, dimension, distance, byResidual, maxThreads);
        return new IvfFlatIndex(centroids, empty, new FlatIndex?[lists], dimension, distance, options.ProbesFor(lists), maxThreads, quantizer, byResidual);
    }

    /// <summary>
    /// The scalar quantizer's ranges, from the k-means sample: its rows' residuals from their nearest centroids (by
    /// residual, as faiss' <c>train_residual</c>), or its rows as they are (unit length for cosine).
    /// </summary>
    private static ScalarQuantizer TrainQuantizer(ReadOnlySpan<float> sample, float[] centroids, int dimension, KnnDistance distance, bool byResidual, int maxThreads)
    {
        var training = new ScalarQuantizerTraining(dimension, unitRows: distance == KnnDistance.Cosine);
        if (!byResidual)
        {
            training.AddRows(sample);
            return training.ToQuantizer();
        }

        var quantizer = new FlatIndex(centroids, dimension, distance, maxThreads);
        var residual = new float[dimension];
        for (int begin = 0; begin < sample.Length / dimension; begin += FilingChunkRows)
        {
            int n = Math.Min(FilingChunkRows, (sample.Length / dimension) - begin);
            var assignment = new int[n];
            quantizer.Search(sample.Slice(begin * dimension, n * dimension), 1, new float[n], assignment);
            for (int r = 0; r < n; r++)
            {
                Residual(sample.Slice((begin + r) * dimension, dimension), centroids.AsSpan(assignment[r] * dimension, dimension), residual);
                training.Add(residual);
            }
        }

        return training.ToQuantizer();
    }

    private static void Residual(ReadOnlySpan<float> row, ReadOnlySpan<float> centroid, Span<float> residual)
        => System.Numerics.Tensors.TensorPrimitives.Subtract(row, centroid, residual);

    /// <summary>Files one row in list <paramref name="list"/>: as it is, or as its residual from the list's centroid.</summary>
    private void FileRow(int list, ReadOnlySpan<float> row, Span<float> residual)
    {
        if (ByResidual)
        {
            Residual(row, _centroids.AsSpan(list * Dimension, Dimension), residual);
            row = residual;
        }

        _lists[list]!.Add(row);
    }

    /// <summary>
    /// An empty inverted file whose centroids are trained on <paramref name="sample"/> (faiss' <c>train</c>): the
    /// options' number of lists (by default 4√sample rows), k-means as <see cref="Build(ReadOnlySpan{float}, int, KnnDistance, IvfIndexOptions, int)"/> runs it. Rows come later
    /// through <see cref="Add(ReadOnlySpan{float})"/>.
    /// </summary>
    public static IvfFlatIndex Train(ReadOnlySpan<float> sample, int dimension, KnnDistance distance, IvfIndexOptions options, int maxThreads)
    {
        var (lists, order) = SampleFor(sample.Length / dimension, options);
        var chosen = new float[checked((long)order.Length * dimension)];
        for (int i = 0; i < order.Length; i++)
        {
            sample.Slice(order[i] * dimension, dimension).CopyTo(chosen.AsSpan(i * dimension, dimension));
        }

        return Empty(chosen, dimension, distance, options, lists, maxThreads);
    }

    /// <summary>
    /// Files <paramref name="rows"/> in the lists of their nearest centroids, numbered from <see cref="Count"/> on. A
    /// list's rows are laid out again when it is next searched (the cost of that list's size, not of the index's).
    /// Not thread-safe with searches.
    /// </summary>
    public void Add(ReadOnlySpan<float> rows)
    {
        int n = rows.Length / Dimension;
        var assignment = new int[n];
        var distances = new float[n];
        // In chunks, to report progress and look at cancellation: each row's list does not depend on its chunk.
        for (int begin = 0; begin < n; begin += FilingChunkRows)
        {
            Cancellation.ThrowIfRequested();
            WorkProgress.Report("rows filed in lists", begin, n);
            int count = Math.Min(FilingChunkRows, n - begin);
            _quantizer.Search(rows.Slice(begin * Dimension, count * Dimension), 1, distances.AsSpan(begin, count), assignment.AsSpan(begin, count));
        }

        WorkProgress.Report("rows filed in lists", n, n);

        // The last look at cancellation: from here the rows are filed in one go, so an add happens whole or not at all.
        Cancellation.ThrowIfRequested();
        File(assignment);
        ReserveInLists(assignment);
        var residual = new float[Dimension];
        for (int r = 0; r < n; r++)
        {
            FileRow(assignment[r], rows.Slice(r * Dimension, Dimension), residual);
        }
    }

    /// <summary>
    /// Files byte rows (raw pixels) as <see cref="Add(ReadOnlySpan{float})"/>: each bounded chunk is widened to floats
    /// only to find its rows' lists, and the lists take the bytes (held as bytes, see <see cref="FlatIndex"/>), so no
    /// float copy of the rows is kept. As the float add, it happens whole or not at all.
    /// </summary>
    public void Add(ReadOnlySpan<byte> rows)
    {
        int total = rows.Length / Dimension;
        var assignment = new int[total];
        var distances = new float[Math.Min(total, ByteRowChunks.RowsPerChunk(Dimension))];
        ByteRowChunks.ForEach(rows, Dimension, (chunk, first, count) =>
        {
            Cancellation.ThrowIfRequested();
            WorkProgress.Report("rows filed in lists", first, total);
            _quantizer.Search(chunk, 1, distances.AsSpan(0, count), assignment.AsSpan(first, count));
        });

        WorkProgress.Report("rows filed in lists", total, total);
        Cancellation.ThrowIfRequested();
        File(assignment);
        ReserveInLists(assignment);
        if (!ByResidual)
        {
            for (int r = 0; r < total; r++)
            {
                _lists[assignment[r]]!.Add(rows.Slice(r * Dimension, Dimension));
            }

            return;
        }

        // Residuals are floats: each byte row is widened on its way to its list.
        var widened = new float[Dimension];
        var residual = new float[Dimension];
        for (int r = 0; r < total; r++)
        {
            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(rows.Slice(r * Dimension, Dimension), widened);
            FileRow(assignment[r], widened, residual);
        }
    }

    /// <summary>
    /// Tells each list how many rows this add brings, so a list grows once to its new size instead of by quarters
    /// (up to a quarter of the rows' bytes held empty while the lists grow, and a copy at every step).
    /// </summary>
    private void ReserveInLists(ReadOnlySpan<int> assignment)
    {
        var arriving = new int[_lists.Length];
        foreach (int list in assignment)
        {
            arriving[list]++;
        }

        for (int list = 0; list < arriving.Length; list++)
        {
            if (arriving[list] > 0)
            {
                _lists[list]!.Reserve(arriving[list]);
            }
        }
    }

    /// <summary>Numbers the next rows and records their lists and positions (the rows themselves go to the lists after).</summary>
    private void File(ReadOnlySpan<int> assignment)
    {
        int n = assignment.Length;
        int total = checked(Count + n);
        if (total > _listOfRow.Length)
        {
            int capacity = (int)Math.Min(Array.MaxLength, Math.Max(total, 2L * _listOfRow.Length));
            Array.Resize(ref _listOfRow, capacity);
            Array.Resize(ref _positionOfRow, capacity);
        }

        for (int r = 0; r < n; r++)
        {
            int list = assignment[r];
            _lists[list] ??= new FlatIndex(Dimension, Distance, maxThreads: 1, ListChunkBytes, Quantizer);
            if (_listSizes[list] == _ids[list].Length)
            {
                Array.Resize(ref _ids[list], Math.Max(4, 2 * _ids[list].Length));
            }

            int row = Count + r;
            _ids[list][_listSizes[list]] = row;
            _listOfRow[row] = list;
            _positionOfRow[row] = _listSizes[list]++;
        }

        Count = total;
    }

    /// <summary>
    /// Centroids are means, which is what L2 (or cosine) k-means optimises; an L1 index trains them under L2 too (the
    /// matrix-product kernel; an L1 assignment step costs ~20x more) and then files and probes by L1.
    /// </summary>
    private static float[] TrainCentroids(ReadOnlySpan<float> rows, int dimension, KnnDistance distance, IvfIndexOptions options, int maxThreads)
    {
        int lists = options.ListsFor(rows.Length / dimension);
        return KMeans.Train(rows, dimension, TrainingDistance(distance), lists, options.KMeansIterations, options.TrainingRowsPerList, options.Seed ?? 1, maxThreads);
    }

    private static KnnDistance TrainingDistance(KnnDistance distance) => distance == KnnDistance.L1 ? KnnDistance.L2 : distance;

    /// <summary>An index whose row r is in list <paramref name="assignment"/>[r] (rows keep their order within a list).</summary>
    public static IvfFlatIndex FromAssignment(ReadOnlySpan<float> rows, ReadOnlySpan<int> assignment, float[] centroids, int dimension, KnnDistance distance, int probes, int maxThreads)
    {
        int lists = centroids.Length / dimension;
        var sizes = new int[lists];
        foreach (int l in assignment)
        {
            sizes[l]++;
        }

        var ids = sizes.Select(n => new int[n]).ToArray();
        var filled = new int[lists];
        for (int r = 0; r < assignment.Length; r++)
        {
            ids[assignment[r]][filled[assignment[r]]++] = r;
        }

        var flat = new FlatIndex?[lists];
        for (int l = 0; l < lists; l++)
        {
            if (ids[l].Length == 0)
            {
                continue;
            }

            var builder = new FlatIndexBuilder(dimension, distance, ids[l].Length, ListChunkBytes);
            foreach (int r in ids[l])
            {
                builder.Append(rows.Slice(r * dimension, dimension));
            }

            flat[l] = builder.Build(maxThreads: 1);
        }

        return new IvfFlatIndex(centroids, ids, flat, dimension, distance, probes, maxThreads);
    }

    /// <summary>An index from stored parts (a model file or a faiss file): centroids and each list's rows and row numbers.</summary>
    public static IvfFlatIndex FromLists(float[] centroids, int[][] ids, float[][] listRows, int dimension, KnnDistance distance, int probes, int maxThreads)
    {
        var flat = new FlatIndex?[ids.Length];
        for (int l = 0; l < ids.Length; l++)
        {
            if (ids[l].Length > 0)
            {
                flat[l] = new FlatIndex(listRows[l], dimension, distance, maxThreads: 1);
            }
        }

        return new IvfFlatIndex(centroids, ids, flat, dimension, distance, probes, maxThreads);
    }

    /// <summary>
    /// The final results of a query of codes get keys computed directly over their decoded rows, in the space their
    /// list searched (the query's residual from the list's centroid for residual codes), as faiss computes them, and
    /// are sorted again: lists are merged on the expanded keys, which only pick the candidates.
    /// </summary>
    /// <param name="query">The query.</param>
    /// <param name="keys">Its final keys, replaced.</param>
    /// <param name="rows">Its final rows, re-sorted.</param>
    /// <param name="decoded">Scratch of <see cref="Dimension"/> floats.</param>
    /// <param name="scratch">Scratch of <see cref="Dimension"/> floats.</param>
    /// <param name="found">Scratch of at least <paramref name="rows"/>' length.</param>
    private void RefineCodes(ReadOnlySpan<float> query, Span<double> keys, Span<int> rows, float[] decoded, float[] scratch, (double Key, int Row)[] found)
    {
        bool cosine = Distance == KnnDistance.Cosine;
        for (int i = 0; i < rows.Length; i++)
        {
            int list = _listOfRow[rows[i]];
            _lists[list]!.CopyRow(_positionOfRow[rows[i]], decoded);
            ReadOnlySpan<float> inList = query;
            if (ByResidual)
            {
                Residual(query, _centroids.AsSpan(list * Dimension, Dimension), scratch);
                inList = scratch;
            }

            found[i] = (ScalarQuantizedScan.DirectKey(cosine, ScalarQuantizedScan.QueryForKeys(cosine, inList, scratch), decoded), rows[i]);
        }

        ScalarQuantizedScan.Sort(found.AsSpan(0, rows.Length), keys, rows);
    }

    /// <summary>An index from stored parts of a scalar-quantized inverted file: centroids, the quantizer, and each list's codes and row numbers.</summary>
    public static IvfFlatIndex FromCodes(float[] centroids, ScalarQuantizer quantizer, bool byResidual, int[][] ids, byte[][] listCodes, int dimension, KnnDistance distance, int probes, int maxThreads)
    {
        var flat = new FlatIndex?[ids.Length];
        for (int l = 0; l < ids.Length; l++)
        {
            if (ids[l].Length > 0)
            {
                flat[l] = new FlatIndex(dimension, distance, maxThreads: 1, ListChunkBytes, quantizer);
                flat[l]!.AddCodes(listCodes[l]);
            }
        }

        return new IvfFlatIndex(centroids, ids, flat, dimension, distance, probes, maxThreads, quantizer, byResidual);
    }

    /// <summary>List <paramref name="list"/>'s rows as floats, row-major (decoded, where the lists hold codes).</summary>
    public float[] ListValues(int list)
    {
        var values = new float[(long)_listSizes[list] * Dimension];
        for (int p = 0; p < _listSizes[list]; p++)
        {
            CopyListRow(list, p, values.AsSpan(p * Dimension, Dimension));
        }

        return values;
    }

    /// <summary>List <paramref name="list"/>'s 8-bit codes, row-major (a scalar-quantized index only).</summary>
    public byte[] ListCodes(int list)
    {
        var codes = new byte[(long)_listSizes[list] * Dimension];
        for (int p = 0; p < _listSizes[list]; p++)
        {
            _lists[list]!.CopyCode(p, codes.AsSpan(p * Dimension, Dimension));
        }

        return codes;
    }

    public void CopyRow(int row, Span<float> destination) => CopyListRow(_listOfRow[row], _positionOfRow[row], destination);

    /// <summary>The row at <paramref name="position"/> in list <paramref name="list"/>, as floats (decoded, its centroid added back where it is a residual).</summary>
    private void CopyListRow(int list, int position, Span<float> destination)
    {
        _lists[list]!.CopyRow(position, destination);
        if (ByResidual)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(destination, _centroids.AsSpan(list * Dimension, Dimension), destination);
        }
    }

    public void Search(ReadOnlySpan<float> queries, int k, Span<float> distances, Span<int> rows, RemovedRows? removed = null)
    {
        int queryCount = queries.Length / Dimension;
        int probes = Math.Min(NumberOfProbes, NumberOfLists);
        var probeDistances = new float[queryCount * probes];
        var probeLists = new int[queryCount * probes];
        _quantizer.Search(queries, probes, probeDistances, probeLists);

        var (start, queriesOfList) = ProbeGroups.Of(probeLists, queryCount, probes, NumberOfLists);

        int threads = Math.Max(1, Math.Min(MaxThreads, NumberOfLists));
        var partial = new TopKSelector[threads][];
        var queryArray = queries.ToArray();
        ParallelRanges.Run(threads, t =>
        {
            var selectors = new TopKSelector[queryCount];
            for (int q = 0; q < queryCount; q++)
            {
                selectors[q] = new TopKSelector(k);
            }

            for (int l = t; l < NumberOfLists; l += threads)
            {
                Cancellation.ThrowIfRequested();
                var list = _lists[l];
                int n = start[l + 1] - start[l];
                if (list is null || n == 0)
                {
                    continue;
                }

                var batch = new float[(long)n * Dimension];
                for (int i = 0; i < n; i++)
                {
                    var query = queryArray.AsSpan(queriesOfList[start[l] + i] * Dimension, Dimension);
                    if (ByResidual)
                    {
                        // ‖q − (c + r)‖ = ‖(q − c) − r‖: a list of residuals is searched with the query's residual.
                        Residual(query, _centroids.AsSpan(l * Dimension, Dimension), batch.AsSpan(i * Dimension, Dimension));
                    }
                    else
                    {
                        query.CopyTo(batch.AsSpan(i * Dimension, Dimension));
                    }
                }

                // Ranking keys, not distances: lists merge on the keys (exact squared L2 of pixel rows) and only the
                // final k are converted, so probing every list gives exactly the flat index's result.
                int kl = Math.Min(k, list.Count);
                var found = new double[n * kl];
                var local = new int[n * kl];
                // Removed rows are skipped inside the list's search (by their row numbers), so each list still gives
                // its best kl rows that remain.
                var ids = _ids[l];
                list.SearchKeys(batch, kl, found, local, removed, ids, refineCodes: false);
                for (int i = 0; i < n; i++)
                {
                    var selector = selectors[queriesOfList[start[l] + i]];
                    for (int j = 0; j < kl && local[(i * kl) + j] >= 0; j++)
                    {
                        selector.Add(found[(i * kl) + j], ids[local[(i * kl) + j]]);
                    }
                }
            }

            partial[t] = selectors;
        });

        var d = new double[k];
        var r = new int[k];
        // Scratch of the codes' final refinement, once a search rather than once a query.
        var (decoded, scratch, found) = Quantizer is null ? (null, null, null) : (new float[Dimension], new float[Dimension], new (double Key, int Row)[k]);
        for (int q = 0; q < queryCount; q++)
        {
            int got = ProbeGroups.Merged(partial, q, d, r).CopySorted(d, rows.Slice(q * k, k));
            if (Quantizer is not null)
            {
                RefineCodes(queryArray.AsSpan(q * Dimension, Dimension), d.AsSpan(0, got), rows.Slice(q * k, got), decoded!, scratch!, found!);
            }

            for (int i = 0; i < k; i++)
            {
                distances[(q * k) + i] = i < got ? FlatIndex.ToDistance(Distance, d[i]) : float.PositiveInfinity;
                if (i >= got)
                {
                    rows[(q * k) + i] = -1;
                }
            }
        }
    }
}
