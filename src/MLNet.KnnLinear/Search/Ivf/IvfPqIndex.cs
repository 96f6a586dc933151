using System.Numerics.Tensors;
using MLNet.KnnLinear.Pipeline;
using MLNet.KnnLinear.Search.Quantization;

namespace MLNet.KnnLinear.Search.Ivf;

/// <summary>
/// An inverted file of product-quantized codes (faiss' <c>IndexIVFPQ</c>): k-means centroids as
/// <see cref="IvfFlatIndex"/>'s, and each list holds its rows' m-byte codes of their residuals from the list's centroid
/// (faiss' default <c>by_residual</c>; cosine rows are scaled to unit length first). A query probes its nearest lists and
/// scores a list's codes through tables (ADC):
/// <list type="bullet">
/// <item>L2: ‖q − c − r‖² = ‖q − c‖² + Σ_m (‖y_m‖² + 2⟨c_m, y_m⟩ − 2⟨q_m, y_m⟩), where y_m are the code's centroids.
/// The list's part (faiss' precomputed <c>term2</c>) is computed once per list and kept while it fits
/// <see cref="PrecomputedTableMaxBytes"/> (faiss' rule); the query's part once per query.</item>
/// <item>cosine: the same sum for the unit query over unit rows, halved (see <see cref="CodeMetric"/>); a faiss file of
/// inner-product codes ranks as faiss does, by 1 − (⟨q̂, c⟩ + Σ_m ⟨q̂_m, y_m⟩).</item>
/// </list>
/// Lists are spread over the threads and each query keeps its best k by (key, row number), so results do not depend
/// on the thread count. The keys are the ADC distances faiss reports (its squared L2, or its similarity turned to
/// 1 − similarity).
/// </summary>
internal sealed class IvfPqIndex : INeighborIndex
{
    /// <summary>The most bytes of per-list tables kept (faiss' <c>precomputed_table_max_bytes</c>, 2 GiB); above it they are computed per search.</summary>
    public const long PrecomputedTableMaxBytes = 2L << 30;

    /// <summary>The most bytes of per-query tables a search holds at once: queries are searched in blocks that fit.</summary>
    private const long QueryTableBlockBytes = 32L << 20;

    private const int FilingChunkRows = 16_384;

    private readonly float[] _centroids;
    private readonly FlatIndex _coarse;
    private readonly byte[][] _codes;
    private readonly int[][] _ids;
    private readonly int[] _listSizes;
    private readonly float[]?[] _listTerms;
    private readonly int _maxThreads;
    private int[] _listOfRow;
    private int[] _positionOfRow;

    private IvfPqIndex(float[] centroids, ProductQuantizer quantizer, bool byResidual, int[][] ids, byte[][] codes, int dimension, KnnDistance distance, int probes, int maxThreads, bool innerProduct = false)
    {
        Metric = ProductQuantizedCodes.MetricFor(distance, innerProduct);
        _centroids = centroids;
        Quantizer = quantizer;
        ByResidual = byResidual;
        Dimension = dimension;
        Distance = distance;
        NumberOfProbes = probes;
        _maxThreads = Math.Max(0, maxThreads);
        _coarse = new FlatIndex(centroids, dimension, distance, _maxThreads);
        _ids = ids;
        _codes = codes;
        _listSizes = ids.Select(list => list.Length).ToArray();
        _listTerms = new float[ids.Length][];
        Count = ids.Sum(list => list.Length);
        _listOfRow = new int[Count];
        _positionOfRow = new int[Count];
        Array.Fill(_listOfRow, -1);
        for (int l = 0; l < ids.Length; l++)
        {
            if ((long)codes[l].Length < (long)ids[l].Length * quantizer.Subquantizers)
            {
                throw new InvalidDataException($"Inverted list {l} holds {ids[l].Length} row numbers but {codes[l].Length} code bytes; each row has {quantizer.Subquantizers}.");
            }

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
    }

    public ProductQuantizer Quantizer { get; }

    /// <summary>How codes are ranked: by L2 (cosine: of unit vectors), or by faiss' inner product for its files.</summary>
    public CodeMetric Metric { get; }

    /// <summary>Whether codes are of residuals from their list's centroid (faiss' <c>by_residual</c>).</summary>
    public bool ByResidual { get; }

    public int Dimension { get; }

    public int Count { get; private set; }

    public KnnDistance Distance { get; }

    public int NumberOfLists => _ids.Length;

    /// <summary>Lists searched per query; set between searches, not during one.</summary>
    public int NumberOfProbes { get; set; }

    private int MaxThreads => KnnLinearParallelism.ThreadsFor(_maxThreads);

    private bool UsesListTerms => ByResidual && Metric != CodeMetric.InnerProduct;

    private bool KeepsListTerms => (long)NumberOfLists * Quantizer.TableLength * sizeof(float) <= PrecomputedTableMaxBytes;

    /// <summary>The centroids, lists × dimension, row-major.</summary>
    public ReadOnlySpan<float> Centroids => _centroids;

    public long MemoryBytes
        => (4L * _centroids.Length) + _codes.Sum(c => (long)c.Length) + (4L * Count * 3) + Quantizer.MemoryBytes
            + _listTerms.Sum(t => 4L * (t?.Length ?? 0));

    /// <summary>The row numbers of list <paramref name="list"/>, in the list's order.</summary>
    public ReadOnlySpan<int> ListRows(int list) => _ids[list].AsSpan(0, _listSizes[list]);

    /// <summary>List <paramref name="list"/>'s codes, row-major, m bytes a row.</summary>
    public ReadOnlySpan<byte> ListCodes(int list) => _codes[list].AsSpan(0, _listSizes[list] * Quantizer.Subquantizers);

    /// <summary>A copy that probes <paramref name="probes"/> lists, sharing everything else with this one.</summary>
    public IvfPqIndex WithProbes(int probes)
    {
        var copy = (IvfPqIndex)MemberwiseClone();
        copy.NumberOfProbes = probes;
        return copy;
    }

    /// <summary>
    /// Which rows of <paramref name="count"/> the training samples: k-means' rows (<see cref="IvfFlatIndex"/>'s, so the
    /// same centroids) and the product quantizer's (a seeded sample of at most 65,536).
    /// </summary>
    public static (int Lists, int[] KMeansRows, int[] QuantizerRows) SampleOrders(int count, IvfIndexOptions options)
    {
        var quantizerRows = ProductQuantizerTraining.SampleOrder(count, options.Seed ?? 1);
        var (lists, order) = IvfFlatIndex.SampleFor(count, options);
        return (lists, order, quantizerRows);
    }

    /// <summary>
    /// An empty inverted file of codes: centroids by k-means on <paramref name="kmeansSample"/>, then the product
    /// quantizer on <paramref name="quantizerSample"/>'s residuals from their nearest centroids (faiss'
    /// <c>train_residual</c>). Both samples are the rows <see cref="SampleOrders"/> chose, at unit length for cosine;
    /// <paramref name="quantizerSample"/> is overwritten.
    /// </summary>
    public static IvfPqIndex Train(int lists, float[] kmeansSample, float[] quantizerSample, int dimension, KnnDistance distance, IvfIndexOptions options, int maxThreads)
    {
        var centroids = KMeans.TrainOnSample(kmeansSample, dimension, distance, lists, options.KMeansIterations, maxThreads);
        if (distance == KnnDistance.Cosine)
        {
            // Unit centroids: ranking lists by cosine is then ranking them by inner product, as faiss' inner-product
            // quantizer does with the same file, and codes are residuals from the centroids as stored.
            UnitRows.Normalize(centroids, dimension);
        }

        // The quantizer learns residuals: each sampled row less its nearest centroid.
        var residuals = quantizerSample;
        int n = residuals.Length / dimension;
        var coarse = new FlatIndex(centroids, dimension, distance, maxThreads);
        var nearest = new int[n];
        coarse.Search(residuals, 1, new float[n], nearest);
        for (int i = 0; i < n; i++)
        {
            var row = residuals.AsSpan(i * dimension, dimension);
            TensorPrimitives.Subtract(row, centroids.AsSpan(nearest[i] * dimension, dimension), row);
        }

        var quantizer = ProductQuantizerTraining.Train(residuals, dimension, options.Subquantizers, maxThreads);
        var empty = Enumerable.Range(0, lists).Select(_ => Array.Empty<int>()).ToArray();
        var codes = Enumerable.Range(0, lists).Select(_ => Array.Empty<byte>()).ToArray();
        return new IvfPqIndex(centroids, quantizer, byResidual: true, empty, codes, dimension, distance, options.ProbesFor(lists), maxThreads);
    }

    /// <summary>An index from stored parts (a model or faiss file): centroids, quantizer, each list's row numbers and codes.</summary>
    public static IvfPqIndex FromCodes(float[] centroids, ProductQuantizer quantizer, bool byResidual, int[][] ids, byte[][] codes, int dimension, KnnDistance distance, int probes, int maxThreads, bool innerProduct = false)
        => new(centroids, quantizer, byResidual, ids, codes, dimension, distance, probes, maxThreads, innerProduct);

    /// <summary>
    /// Files rows in the lists of their nearest centroids as codes, numbered from <see cref="Count"/> on: a chunk at a
    /// time, each row (at unit length for cosine) less its centroid, encoded on the threads. Not thread-safe with searches.
    /// </summary>
    public void Add(ReadOnlySpan<float> rows)
    {
        int n = rows.Length / Dimension;
        int m = Quantizer.Subquantizers;
        var assignment = new int[n];
        var codes = new byte[(long)n * m];
        var ignored = new float[Math.Min(n, FilingChunkRows)];
        bool cosine = Distance == KnnDistance.Cosine;
        for (int begin = 0; begin < n; begin += FilingChunkRows)
        {
            Cancellation.ThrowIfRequested();
            WorkProgress.Report("rows filed in lists", begin, n);
            int count = Math.Min(FilingChunkRows, n - begin);
            var chunk = rows.Slice(begin * Dimension, count * Dimension).ToArray();
            _coarse.Search(chunk, 1, ignored.AsSpan(0, count), assignment.AsSpan(begin, count));
            if (cosine)
            {
                UnitRows.Normalize(chunk, Dimension);
            }

            if (ByResidual)
            {
                for (int r = 0; r < count; r++)
                {
                    var row = chunk.AsSpan(r * Dimension, Dimension);
                    TensorPrimitives.Subtract(row, _centroids.AsSpan(assignment[begin + r] * Dimension, Dimension), row);
                }
            }

            ProductQuantizedCodes.Encode(Quantizer, chunk, unitRows: false, codes, (long)begin * m, _maxThreads);
        }

        WorkProgress.Report("rows filed in lists", n, n);

        // The last look at cancellation: from here the codes are filed in one go, so an add happens whole or not at all.
        Cancellation.ThrowIfRequested();
        File(assignment, codes);
    }

    private void File(ReadOnlySpan<int> assignment, ReadOnlySpan<byte> codes)
    {
        int n = assignment.Length;
        int m = Quantizer.Subquantizers;
        int total = checked(Count + n);
        if (total > _listOfRow.Length)
        {
            int capacity = (int)Math.Min(Array.MaxLength, Math.Max(total, 2L * _listOfRow.Length));
            Array.Resize(ref _listOfRow, capacity);
            Array.Resize(ref _positionOfRow, capacity);
        }

        var arriving = new int[NumberOfLists];
        foreach (int list in assignment)
        {
            arriving[list]++;
        }

        for (int list = 0; list < arriving.Length; list++)
        {
            int needed = _listSizes[list] + arriving[list];
            if (arriving[list] > 0 && needed > _ids[list].Length)
            {
                // Grown once to the size this add needs, with room for a quarter more.
                int capacity = Math.Max(needed, _ids[list].Length + (_ids[list].Length / 4));
                Array.Resize(ref _ids[list], capacity);
                Array.Resize(ref _codes[list], checked(capacity * m));
            }
        }

        for (int r = 0; r < n; r++)
        {
            int list = assignment[r];
            int position = _listSizes[list]++;
            int row = Count + r;
            _ids[list][position] = row;
            codes.Slice(r * m, m).CopyTo(_codes[list].AsSpan(position * m, m));
            _listOfRow[row] = list;
            _positionOfRow[row] = position;
        }

        Count = total;
    }

    public void CopyRow(int row, Span<float> destination)
    {
        int list = _listOfRow[row];
        int m = Quantizer.Subquantizers;
        Quantizer.Decode(_codes[list].AsSpan(_positionOfRow[row] * m, m), destination);
        if (ByResidual)
        {
            TensorPrimitives.Add(destination[..Dimension], _centroids.AsSpan(list * Dimension, Dimension), destination);
        }
    }

    /// <summary>List <paramref name="list"/>'s part of an L2 table (see the class remarks): kept, or computed into <paramref name="scratch"/>.</summary>
    private ReadOnlySpan<float> ListTerms(int list, float[] scratch)
    {
        if (_listTerms[list] is { } kept)
        {
            return kept;
        }

        var terms = KeepsListTerms ? new float[Quantizer.TableLength] : scratch;
        Quantizer.ResidualTerms(_centroids.AsSpan(list * Dimension, Dimension), terms);
        if (KeepsListTerms)
        {
            // Two threads may compute the same list's terms at once; both are equal, and the first kept stays.
            return Interlocked.CompareExchange(ref _listTerms[list], terms, null) ?? terms;
        }

        return terms;
    }

    public void Search(ReadOnlySpan<float> queries, int k, Span<float> distances, Span<int> rows, RemovedRows? removed = null)
    {
        int queryCount = queries.Length / Dimension;
        var keys = new double[(long)queryCount * k];
        var found = new int[(long)queryCount * k];
        Array.Fill(found, -1);
        var queryArray = queries.ToArray();
        int block = (int)Math.Clamp(QueryTableBlockBytes / (Quantizer.TableLength * 4L), 1, Math.Max(1, queryCount));
        for (int first = 0; first < queryCount; first += block)
        {
            int n = Math.Min(block, queryCount - first);
            SearchBlock(queryArray.AsSpan(first * Dimension, n * Dimension), k, keys.AsSpan(first * k, n * k), found.AsSpan(first * k, n * k), removed);
        }

        ProductQuantizedCodes.WriteResults(Distance, keys, found, k, distances, rows);
    }

    /// <summary>One block of queries: their tables, then list by list over the threads, then each query's lists merged.</summary>
    private void SearchBlock(ReadOnlySpan<float> queries, int k, Span<double> keys, Span<int> found, RemovedRows? removed)
    {
        int queryCount = queries.Length / Dimension;
        int probes = Math.Min(NumberOfProbes, NumberOfLists);
        var probeDistances = new float[queryCount * probes];
        var probeLists = new int[queryCount * probes];
        _coarse.Search(queries, probes, probeDistances, probeLists);

        bool unitQuery = Distance == KnnDistance.Cosine;
        int tableLength = Quantizer.TableLength;
        var tables = new float[(long)queryCount * tableLength];
        var unitQueries = queries.ToArray();
        int tableThreads = Math.Max(1, Math.Min(MaxThreads, queryCount));
        ParallelRanges.Run(tableThreads, t =>
        {
            var unit = new float[Dimension];
            for (int q = t; q < queryCount; q += tableThreads)
            {
                var query = unitQueries.AsSpan(q * Dimension, Dimension);
                var table = tables.AsSpan(q * tableLength, tableLength);
                if (unitQuery)
                {
                    UnitRows.Normalize(query, Dimension);
                }

                if (UsesListTerms || Metric == CodeMetric.InnerProduct)
                {
                    Quantizer.InnerProductTables(query, table);
                }
                else
                {
                    Quantizer.L2Tables(query, table);
                }
            }
        });

        var (start, queriesOfList) = ProbeGroups.Of(probeLists, queryCount, probes, NumberOfLists);
        int threads = Math.Max(1, Math.Min(MaxThreads, NumberOfLists));
        var partial = new TopKSelector[threads][];
        ParallelRanges.Run(threads, t =>
        {
            var selectors = new TopKSelector[queryCount];
            for (int q = 0; q < queryCount; q++)
            {
                selectors[q] = new TopKSelector(k, removed);
            }

            var termScratch = new float[tableLength];
            var table = new float[tableLength];
            var difference = new float[Dimension];
            for (int l = t; l < NumberOfLists; l += threads)
            {
                int n = start[l + 1] - start[l];
                if (n == 0 || _listSizes[l] == 0)
                {
                    continue;
                }

                Cancellation.ThrowIfRequested();
                var terms = UsesListTerms ? ListTerms(l, termScratch) : default;
                var centroid = _centroids.AsSpan(l * Dimension, Dimension);
                for (int i = 0; i < n; i++)
                {
                    int q = queriesOfList[start[l] + i];
                    var query = unitQueries.AsSpan(q * Dimension, Dimension);
                    ReadOnlySpan<float> scores = tables.AsSpan(q * tableLength, tableLength);
                    float offset = 0f;
                    if (UsesListTerms)
                    {
                        // ‖q − c‖² + (term2 − 2⟨q, y⟩): the query's L2 table in this list. (Summing the two tables per
                        // code instead, faiss' "pointer" mode, measured 2.3× slower here: two dependent loads a byte.)
                        TensorPrimitives.MultiplyAdd(scores, -2f, terms, table);
                        scores = table;
                        TensorPrimitives.Subtract(query, centroid, difference);
                        offset = TensorPrimitives.Dot(difference, difference);
                    }
                    else if (Metric == CodeMetric.InnerProduct && ByResidual)
                    {
                        offset = TensorPrimitives.Dot(query, centroid);
                    }

                    ScanList(l, scores, offset, selectors[q]);
                }
            }

            partial[t] = selectors;
        });

        var d = new double[k];
        var r = new int[k];
        for (int q = 0; q < queryCount; q++)
        {
            ProbeGroups.Merged(partial, q, d, r).CopySorted(keys.Slice(q * k, k), found.Slice(q * k, k));
        }
    }

    /// <summary>Offers every code of list <paramref name="list"/> to <paramref name="selector"/> by its row number.</summary>
    private void ScanList(int list, ReadOnlySpan<float> table, float offset, TopKSelector selector)
    {
        int m = Quantizer.Subquantizers;
        var codes = _codes[list];
        var ids = _ids[list];
        for (int p = 0; p < _listSizes[list]; p++)
        {
            double key = ProductQuantizedCodes.Key(Metric, offset, ProductQuantizer.Sum(table, codes.AsSpan(p * m, m)));
            if (key <= selector.Threshold)
            {
                selector.Add(key, ids[p]);
            }
        }
    }
}
