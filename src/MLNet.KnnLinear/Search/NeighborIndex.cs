using MLNet.KnnLinear.Pipeline;
using MLNet.KnnLinear.Search;
using MLNet.KnnLinear.Search.Hnsw;
using MLNet.KnnLinear.Search.Ivf;
using MLNet.KnnLinear.Search.Quantization;

namespace MLNet.KnnLinear;

/// <summary>
/// Rows of floats searched for the nearest neighbours of queries: exact (<see cref="ExactIndexOptions"/>), an
/// inverted file (<see cref="IvfIndexOptions"/>) or an HNSW graph (<see cref="HnswIndexOptions"/>). What a kNN model searches (<see cref="KnnModelParameters.Index"/>),
/// and usable on its own for similarity search. Searching is thread-safe; <see cref="SetSearchSize"/> is not (call it
/// between searches), and a fitted model's index is read-only (<see cref="IsReadOnly"/>): <see cref="WithSearchSize"/>
/// gives a copy with its own search size that shares the rows.
/// </summary>
public sealed partial class NeighborIndex
{
    private readonly int _dimension;
    private readonly KnnDistance _distance;
    private readonly NeighborIndexOptions _options;
    private static readonly IProgress<NeighborIndexProgress>? NoProgress = null;

    private readonly int _maxThreads;
    private readonly RemovedRows _removed = new();
    private INeighborIndex? _inner;
    private NeighborIds? _ids;
    private bool _readOnly;
    private bool _sharesStorage;
    private bool _memoryMapped;

    internal NeighborIndex(FlatIndex exact)
        : this(exact, new ExactIndexOptions(), maxThreads: 0)
    {
    }

    internal NeighborIndex(IvfFlatIndex ivf)
        : this(ivf, new IvfIndexOptions { NumberOfLists = ivf.NumberOfLists, NumberOfProbes = ivf.NumberOfProbes }, maxThreads: 0)
    {
    }

    internal NeighborIndex(HnswIndex hnsw)
        : this(hnsw, new HnswIndexOptions { MaxConnections = hnsw.M, ConstructionSearchSize = hnsw.ConstructionSearchSize, SearchSize = hnsw.SearchSize, Seed = hnsw.Seed }, maxThreads: 0)
    {
    }

    internal NeighborIndex(INeighborIndex inner, NeighborIndexOptions options, int maxThreads)
        : this(inner.Dimension, inner.Distance, options, maxThreads)
        => _inner = inner;

    private NeighborIndex(int dimension, KnnDistance distance, NeighborIndexOptions options, int maxThreads)
    {
        _dimension = dimension;
        _distance = distance;
        _options = options;
        _maxThreads = maxThreads;
    }

    /// <summary>The number of rows held (rows added less rows removed).</summary>
    public int Count => (_inner?.Count ?? 0) - (int)_removed.Count;

    /// <summary>The length of every row and query.</summary>
    public int Dimension => _dimension;

    /// <summary>The distance rows are ranked by.</summary>
    public KnnDistance Distance => _distance;

    /// <summary>
    /// Whether the index can take rows: an inverted file needs <see cref="Train(ReadOnlySpan{float})"/> first (its centroids), and so
    /// does any index with an encoding (its ranges or codebooks); exact and HNSW indexes of rows as they are learn nothing
    /// and are always trained.
    /// </summary>
    public bool IsTrained => _inner is not null;

    /// <summary>
    /// Memory held for the rows and the index structure, in bytes: rows as bytes where they are pixels (whole numbers in
    /// [0, 255]; exact indexes and inverted lists, every distance) or float32 (panels for L2 and cosine), plus centroids and row numbers for an inverted file, links for HNSW, and user ids when there are any.
    /// Removed rows keep their storage until the index is built again.
    /// </summary>
    public long SizeInBytes => (_inner?.MemoryBytes ?? 0) + (_ids?.MemoryBytes ?? 0);

    internal INeighborIndex Inner => _inner ?? throw new InvalidOperationException(NotTrained + " first.");

    /// <summary>What an untrained index says (an inverted file's centroids or a scalar quantizer's ranges are not learnt yet).</summary>
    private const string NotTrained = "The index is not trained (an inverted file learns its centroids, a scalar-quantized index its ranges, a product-quantized index its codebooks): call Train(sample)";

    /// <summary>The index of rows or codes itself: the encoded index when candidates are re-ranked on full rows (<see cref="Refined"/>).</summary>
    private INeighborIndex? Core => _inner is RefinedIndex refined ? refined.Base : _inner;

    /// <summary>The re-ranking wrapper when <see cref="NeighborIndexOptions.RefineFactor"/> is set (the kinds below are then its encoded index's).</summary>
    internal RefinedIndex? Refined => _inner as RefinedIndex;

    internal FlatIndex? Exact => Core as FlatIndex;

    internal IvfFlatIndex? Ivf => Core as IvfFlatIndex;

    internal HnswIndex? Hnsw => Core as HnswIndex;

    internal IvfPqIndex? IvfPq => Core as IvfPqIndex;

    internal ProductQuantizedIndex? ExactPq => Core as ProductQuantizedIndex;

    /// <summary>
    /// This index seen as one of its parts (a refined index's encoded index or its full rows), with the same ids and
    /// removals, for writers that write each part as an index of its own.
    /// </summary>
    internal NeighborIndex PartView(INeighborIndex part)
    {
        var view = new NeighborIndex(part, _options, _maxThreads) { _ids = _ids };
        foreach (int row in _removed.Rows())
        {
            view._removed.Add(row);
        }

        return view;
    }

    /// <summary>This index of codes (fresh from a file) re-ranked on <paramref name="rows"/>, the same rows as they are.</summary>
    internal NeighborIndex Refine(INeighborIndex rows, float factor)
        => new(new RefinedIndex(Inner, rows, factor, _maxThreads), _options.WithRefineFactor(factor), _maxThreads);

    /// <summary>A trained index of codes wrapped to re-rank on full rows when the options ask for it (its rows added to both by the caller).</summary>
    private INeighborIndex RefinedIfAsked(INeighborIndex encoded)
        => _options.RefineFactor is { } factor ? new RefinedIndex(encoded, new FlatIndex(_dimension, _distance, _maxThreads), factor, _maxThreads) : encoded;

    /// <summary>The lists an inverted file (of rows, 8-bit codes or product codes) holds; null for other kinds.</summary>
    private int? ListCount => Ivf?.NumberOfLists ?? IvfPq?.NumberOfLists;

    /// <summary>Whether some rows were removed (their row numbers are skipped by every search).</summary>
    internal bool HasRemovedRows => _removed.Count > 0;

    /// <summary>Whether rows carry ids of the user's (<see cref="Add(ReadOnlySpan{float}, ReadOnlySpan{long})"/>).</summary>
    internal bool HasUserIds => _ids is not null;

    /// <summary>
    /// An empty index (faiss' <c>index_factory</c> without rows): <see cref="Train(ReadOnlySpan{float})"/> it where the kind learns
    /// something (an inverted file's centroids), then <see cref="Add(ReadOnlySpan{float})"/> rows in batches of any
    /// size, and search at any point.
    /// </summary>
    /// <param name="dimension">Values per row.</param>
    /// <param name="distance">The distance to rank by.</param>
    /// <param name="options">The index kind; null is exact.</param>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is below 1, the distance unknown, or an option out of range (named in the message).</exception>
    public static NeighborIndex Create(int dimension, KnnDistance distance, NeighborIndexOptions? options = null)
        => Create(dimension, distance, options, maxThreads: 0);

    internal static NeighborIndex Create(int dimension, KnnDistance distance, NeighborIndexOptions? options, int maxThreads)
    {
        CheckShape(dimension, distance);
        options ??= new ExactIndexOptions();
        options.Validate(long.MaxValue);
        options.ValidateFor(distance);
        options.ValidateFor(dimension);

        // A copy, so options the caller changes after Create (a RefineFactor read at Train) are the ones validated.
        options = options.WithRefineFactor(options.RefineFactor);
        var index = new NeighborIndex(dimension, distance, options, maxThreads);
        index._inner = options switch
        {
            { NeedsTraining: true } => null,
            HnswIndexOptions hnsw => HnswIndex.Create(dimension, distance, hnsw, maxThreads),
            _ => new FlatIndex(dimension, distance, maxThreads),
        };
        return index;
    }

    /// <summary>
    /// Learns what the index kind needs from <paramref name="sample"/> (faiss' <c>train</c>): an inverted file's
    /// centroids by k-means (its <see cref="IvfIndexOptions.NumberOfLists"/>, by default 4√sample rows), and with
    /// <see cref="ScalarQuantizerEncoding"/> the quantizer's ranges (an exact index or HNSW graph: over the whole sample; an
    /// inverted file: over the k-means sample, as residuals for L2). Nothing for exact and HNSW indexes of rows as they
    /// are (the sample is checked, then ignored). The sample's rows are not added.
    /// </summary>
    /// <param name="sample">Rows, row-major, finite; for an inverted file at least one per list.</param>
    /// <exception cref="InvalidOperationException">The inverted file is trained already, or the index is read-only.</exception>
    /// <exception cref="ArgumentException">The sample is empty or not a whole number of rows, or holds NaN or infinite values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The sample has fewer rows than the inverted file's lists.</exception>
    public void Train(ReadOnlySpan<float> sample)
        => Train(sample, CancellationToken.None);

    /// <summary>
    /// Learns what the index kind needs from <paramref name="sample"/> (faiss' <c>train</c>): an inverted file's
    /// centroids by k-means (its <see cref="IvfIndexOptions.NumberOfLists"/>, by default 4√sample rows), and with
    /// <see cref="ScalarQuantizerEncoding"/> the quantizer's ranges (an exact index or HNSW graph: over the whole sample; an
    /// inverted file: over the k-means sample, as residuals for L2). Nothing for exact and HNSW indexes of rows as they
    /// are (the sample is checked, then ignored). The sample's rows are not added.
    /// </summary>
    /// <param name="sample">Rows, row-major, finite; for an inverted file at least one per list.</param>
    /// <exception cref="InvalidOperationException">The inverted file is trained already, or the index is read-only.</exception>
    /// <exception cref="ArgumentException">The sample is empty or not a whole number of rows, or holds NaN or infinite values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The sample has fewer rows than the inverted file's lists.</exception>
    /// <param name="cancellationToken">Stops the k-means iterations with <see cref="OperationCanceledException"/>.</param>
    public void Train(ReadOnlySpan<float> sample, CancellationToken cancellationToken)
        => Train(sample, NoProgress, cancellationToken);

    /// <summary>
    /// Learns what the index kind needs from <paramref name="sample"/>, reporting progress; see
    /// <see cref="Train(ReadOnlySpan{float}, CancellationToken)"/>.
    /// </summary>
    /// <param name="sample">Rows, row-major, finite; for an inverted file at least one per list.</param>
    /// <param name="progress">Receives the stage (<c>"k-means iteration"</c>) and how far it is, on the calling thread; null for none.</param>
    /// <param name="cancellationToken">Stops the k-means iterations with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="InvalidOperationException">The inverted file is trained already, or the index is read-only.</exception>
    /// <exception cref="ArgumentException">The sample is empty or not a whole number of rows, or holds NaN or infinite values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The sample has fewer rows than the inverted file's lists.</exception>
    public void Train(ReadOnlySpan<float> sample, IProgress<NeighborIndexProgress>? progress, CancellationToken cancellationToken)
    {
        using var cancellation = Cancellation.Enter(cancellationToken);
        using var reporting = WorkProgress.Enter(progress);
        CheckWritable();
        CheckRows(sample, nameof(sample));
        switch (OptionsToTrain(sample.IsEmpty))
        {
            case { IsProductQuantized: true } product:
                bool unit = _distance == KnnDistance.Cosine;
                var (lists, kmeansRows, quantizerRows) = ProductQuantizedIndexes.SampleOrders(product, sample.Length / _dimension);
                _inner = ProductQuantizedIndexes.Train(product, lists, TrainingRows.Gather(sample, _dimension, kmeansRows, unit), TrainingRows.Gather(sample, _dimension, quantizerRows, unit), _dimension, _distance, _maxThreads);
                break;
            case IvfIndexOptions ivf:
                _inner = IvfFlatIndex.Train(sample, _dimension, _distance, ivf, _maxThreads);
                break;
            case { } encoded:
                var training = new ScalarQuantizerTraining(_dimension, _distance == KnnDistance.Cosine);
                training.AddRows(sample);
                _inner = WithQuantizer(encoded, training.ToQuantizer());
                break;
        }

        if (_inner is not null and not RefinedIndex)
        {
            _inner = RefinedIfAsked(_inner);
        }
    }

    /// <summary>
    /// Learns what the index kind needs from byte rows (raw pixels); see <see cref="Train(ReadOnlySpan{float})"/>. Only
    /// the rows k-means samples are widened to floats (the sample is not copied whole), and the centroids are the ones
    /// the same rows as floats give.
    /// </summary>
    /// <param name="sample">Rows, row-major; for an inverted file at least one per list.</param>
    /// <exception cref="InvalidOperationException">The inverted file is trained already, or the index is read-only.</exception>
    /// <exception cref="ArgumentException">The sample is empty or not a whole number of rows.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The sample has fewer rows than the inverted file's lists.</exception>
    public void Train(ReadOnlySpan<byte> sample)
        => Train(sample, CancellationToken.None);

    /// <summary>Learns what the index kind needs from byte rows (raw pixels); see <see cref="Train(ReadOnlySpan{byte})"/>.</summary>
    /// <param name="sample">Rows, row-major; for an inverted file at least one per list.</param>
    /// <param name="cancellationToken">Stops the k-means iterations with <see cref="OperationCanceledException"/>.</param>
    public void Train(ReadOnlySpan<byte> sample, CancellationToken cancellationToken)
        => Train(sample, NoProgress, cancellationToken);

    /// <summary>Learns what the index kind needs from byte rows (raw pixels), reporting progress; see <see cref="Train(ReadOnlySpan{byte})"/>.</summary>
    /// <param name="sample">Rows, row-major; for an inverted file at least one per list.</param>
    /// <param name="progress">Receives the stage (<c>"k-means iteration"</c>) and how far it is, on the calling thread; null for none.</param>
    /// <param name="cancellationToken">Stops the k-means iterations with <see cref="OperationCanceledException"/>.</param>
    public void Train(ReadOnlySpan<byte> sample, IProgress<NeighborIndexProgress>? progress, CancellationToken cancellationToken)
    {
        using var cancellation = Cancellation.Enter(cancellationToken);
        using var reporting = WorkProgress.Enter(progress);
        CheckWritable();
        CheckByteRows(sample, nameof(sample));
        switch (OptionsToTrain(sample.IsEmpty))
        {
            case { IsProductQuantized: true } product:
                bool unit = _distance == KnnDistance.Cosine;
                var (lists, kmeansRows, quantizerRows) = ProductQuantizedIndexes.SampleOrders(product, sample.Length / _dimension);
                _inner = ProductQuantizedIndexes.Train(product, lists, TrainingRows.Gather(sample, _dimension, kmeansRows, unit), TrainingRows.Gather(sample, _dimension, quantizerRows, unit), _dimension, _distance, _maxThreads);
                break;
            case IvfIndexOptions ivf:
                _inner = IvfFlatIndex.Train(sample, _dimension, _distance, ivf, _maxThreads);
                break;
            case { } encoded:
                var training = new ScalarQuantizerTraining(_dimension, _distance == KnnDistance.Cosine);
                training.AddRows(sample);
                _inner = WithQuantizer(encoded, training.ToQuantizer());
                break;
        }

        if (_inner is not null and not RefinedIndex)
        {
            _inner = RefinedIfAsked(_inner);
        }
    }

    /// <summary>An empty index of codes of <paramref name="quantizer"/>: exact, or an HNSW graph.</summary>
    private INeighborIndex WithQuantizer(NeighborIndexOptions options, ScalarQuantizer quantizer)
        => options is HnswIndexOptions hnsw
            ? HnswIndex.Create(_dimension, _distance, hnsw, _maxThreads, quantizer)
            : new FlatIndex(_dimension, _distance, _maxThreads, quantizer: quantizer);

    /// <summary>
    /// The checks every Train makes once the index is writable and its sample's shape is checked: a sample that is not
    /// empty, an index not trained yet. Returns the options when there is something to learn (an inverted file's
    /// centroids, a scalar-quantized exact index's ranges), null for kinds that learn nothing.
    /// </summary>
    private NeighborIndexOptions? OptionsToTrain(bool emptySample)
    {
        if (emptySample)
        {
            throw new ArgumentException("The sample holds no rows; training needs at least one (an inverted file at least one per list).", "sample");
        }

        if (!_options.NeedsTraining)
        {
            return null;
        }

        if (_inner is not null)
        {
            throw new InvalidOperationException(_options is IvfIndexOptions
                ? "The inverted file is trained already; its centroids do not change once rows can be filed in its lists."
                : _options.IsProductQuantized
                    ? "The product quantizer is trained already; its centroids do not change once rows are encoded with them."
                    : "The scalar quantizer is trained already; its ranges do not change once rows are encoded with them.");
        }

        return _options;
    }

    /// <summary>
    /// Adds rows, whose ids are their row numbers: the number of rows ever added before them, then one more each (so
    /// ids Count, Count + 1, … while nothing is removed; a removed id is never given again). Rows are laid out for
    /// search when the next search comes (an exact index lays out all its rows again, an inverted file the lists that
    /// changed, an HNSW graph inserts them at once), so add in large batches. Not thread-safe with searches.
    /// </summary>
    /// <param name="rows">Rows, row-major, <see cref="Dimension"/> values each, finite.</param>
    /// <exception cref="InvalidOperationException">An inverted file not trained yet; an index whose rows carry ids of the user's; a read-only index.</exception>
    /// <exception cref="ArgumentException">The data is not a whole number of rows, or holds NaN or infinite values.</exception>
    public void Add(ReadOnlySpan<float> rows)
        => Add(rows, CancellationToken.None);

    /// <summary>
    /// Adds rows, whose ids are their row numbers: the number of rows ever added before them, then one more each (so
    /// ids Count, Count + 1, … while nothing is removed; a removed id is never given again). Rows are laid out for
    /// search when the next search comes (an exact index lays out all its rows again, an inverted file the lists that
    /// changed, an HNSW graph inserts them at once), so add in large batches. Not thread-safe with searches.
    /// </summary>
    /// <param name="rows">Rows, row-major, <see cref="Dimension"/> values each, finite.</param>
    /// <exception cref="InvalidOperationException">An inverted file not trained yet; an index whose rows carry ids of the user's; a read-only index.</exception>
    /// <exception cref="ArgumentException">The data is not a whole number of rows, or holds NaN or infinite values.</exception>
    /// <param name="cancellationToken">Stops a long addition (HNSW insertion batches, rows filed in an inverted file's lists) with <see cref="OperationCanceledException"/>; the index is then as it was, except a re-ranked one (<see cref="NeighborIndexOptions.RefineFactor"/>), which keeps the 16,384-row chunks it added before (with their ids).</param>
    public void Add(ReadOnlySpan<float> rows, CancellationToken cancellationToken)
        => Add(rows, NoProgress, cancellationToken);

    /// <summary>Adds rows, whose ids are their row numbers, reporting progress; see <see cref="Add(ReadOnlySpan{float})"/>.</summary>
    /// <param name="rows">Rows, row-major, <see cref="Dimension"/> values each, finite.</param>
    /// <param name="progress">Receives the stage (<c>"HNSW insertion"</c>, <c>"rows filed in lists"</c>) and how far it is, on the calling thread; null for none.</param>
    /// <param name="cancellationToken">Stops a long addition with <see cref="OperationCanceledException"/>; the index is then as it was, except a re-ranked one, which keeps the 16,384-row chunks it added before.</param>
    /// <exception cref="InvalidOperationException">An inverted file not trained yet; an index whose rows carry ids of the user's; a read-only index.</exception>
    /// <exception cref="ArgumentException">The data is not a whole number of rows, or holds NaN or infinite values.</exception>
    public void Add(ReadOnlySpan<float> rows, IProgress<NeighborIndexProgress>? progress, CancellationToken cancellationToken)
    {
        using var cancellation = Cancellation.Enter(cancellationToken);
        using var reporting = WorkProgress.Enter(progress);
        CheckAdd(rows, nameof(rows));
        if (_ids is not null)
        {
            throw new InvalidOperationException("The rows of this index carry ids of the user's: add rows with Add(rows, ids), as faiss' IndexIDMap takes add_with_ids only.");
        }

        _inner!.Add(rows);
    }

    /// <summary>Adds byte rows (raw pixels): held as bytes by exact indexes and inverted lists, widened to floats exactly by HNSW; see <see cref="Add(ReadOnlySpan{float})"/>.</summary>
    /// <param name="rows">Rows, row-major, <see cref="Dimension"/> values each.</param>
    public void Add(ReadOnlySpan<byte> rows)
        => Add(rows, CancellationToken.None);

    /// <summary>Adds byte rows (raw pixels): held as bytes by exact indexes and inverted lists, widened to floats exactly by HNSW; see <see cref="Add(ReadOnlySpan{float})"/>.</summary>
    /// <param name="rows">Rows, row-major, <see cref="Dimension"/> values each.</param>
    /// <param name="cancellationToken">Stops the addition between chunks with <see cref="OperationCanceledException"/>; chunks already added stay.</param>
    public void Add(ReadOnlySpan<byte> rows, CancellationToken cancellationToken)
        => Add(rows, NoProgress, cancellationToken);

    /// <summary>Adds byte rows (raw pixels), reporting progress: held as bytes by exact indexes and inverted lists, widened to floats exactly by HNSW; see <see cref="Add(ReadOnlySpan{float})"/>.</summary>
    /// <param name="rows">Rows, row-major, <see cref="Dimension"/> values each.</param>
    /// <param name="progress">Receives each chunk's stage and how far it is, on the calling thread; null for none.</param>
    /// <param name="cancellationToken">Stops the addition between chunks with <see cref="OperationCanceledException"/>; chunks already added stay.</param>
    public void Add(ReadOnlySpan<byte> rows, IProgress<NeighborIndexProgress>? progress, CancellationToken cancellationToken)
    {
        // One progress scope for the whole call (its elapsed time runs from the call's start), chunks added under it.
        using var reporting = WorkProgress.Enter(progress);
        using var cancellation = Cancellation.Enter(cancellationToken);
        CheckByteRows(rows);
        CheckAdd([], nameof(rows));
        if (_ids is not null)
        {
            throw new InvalidOperationException("The rows of this index carry ids of the user's: add rows with Add(rows, ids), as faiss' IndexIDMap takes add_with_ids only.");
        }

        _inner!.Add(rows);
    }

    /// <summary>
    /// Adds rows with ids of the user's (faiss' <c>add_with_ids</c>; an <c>IndexIDMap2</c> around the index): searches
    /// return these ids, and <see cref="Remove"/> takes them. Ids are non-negative (−1 marks "not found") and unique
    /// in the index. An index takes ids from its first rows on, or never: rows added without ids cannot be mixed with
    /// rows with ids.
    /// </summary>
    /// <param name="rows">Rows, row-major, <see cref="Dimension"/> values each, finite.</param>
    /// <param name="ids">One id per row.</param>
    /// <exception cref="InvalidOperationException">An inverted file not trained yet; an index that already holds rows added without ids; a read-only index.</exception>
    /// <exception cref="ArgumentException">The data is not a whole number of rows or holds NaN or infinite values; the id count differs from the row count; an id is repeated or already in the index.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is negative.</exception>
    public void Add(ReadOnlySpan<float> rows, ReadOnlySpan<long> ids)
        => Add(rows, ids, CancellationToken.None);

    /// <summary>
    /// Adds rows with ids of the user's (faiss' <c>add_with_ids</c>; an <c>IndexIDMap2</c> around the index): searches
    /// return these ids, and <see cref="Remove"/> takes them. Ids are non-negative (−1 marks "not found") and unique
    /// in the index. An index takes ids from its first rows on, or never: rows added without ids cannot be mixed with
    /// rows with ids.
    /// </summary>
    /// <param name="rows">Rows, row-major, <see cref="Dimension"/> values each, finite.</param>
    /// <param name="ids">One id per row.</param>
    /// <exception cref="InvalidOperationException">An inverted file not trained yet; an index that already holds rows added without ids; a read-only index.</exception>
    /// <exception cref="ArgumentException">The data is not a whole number of rows or holds NaN or infinite values; the id count differs from the row count; an id is repeated or already in the index.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is negative.</exception>
    /// <param name="cancellationToken">Stops a long addition with <see cref="OperationCanceledException"/>.</param>
    public void Add(ReadOnlySpan<float> rows, ReadOnlySpan<long> ids, CancellationToken cancellationToken)
        => Add(rows, ids, NoProgress, cancellationToken);

    /// <summary>Adds rows with ids of the user's, reporting progress; see <see cref="Add(ReadOnlySpan{float}, ReadOnlySpan{long})"/>.</summary>
    /// <param name="rows">Rows, row-major, <see cref="Dimension"/> values each, finite.</param>
    /// <param name="ids">One id per row.</param>
    /// <param name="progress">Receives the stage and how far it is, on the calling thread; null for none.</param>
    /// <param name="cancellationToken">Stops a long addition with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="InvalidOperationException">An inverted file not trained yet; an index that already holds rows added without ids; a read-only index.</exception>
    /// <exception cref="ArgumentException">The data is not a whole number of rows or holds NaN or infinite values; the id count differs from the row count; an id is repeated or already in the index.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is negative.</exception>
    public void Add(ReadOnlySpan<float> rows, ReadOnlySpan<long> ids, IProgress<NeighborIndexProgress>? progress, CancellationToken cancellationToken)
    {
        using var cancellation = Cancellation.Enter(cancellationToken);
        using var reporting = WorkProgress.Enter(progress);
        CheckAdd(rows, nameof(rows));
        var map = CheckIds(rows.Length / _dimension, ids);
        if (ids.IsEmpty)
        {
            return;   // no rows: the index does not turn to ids of the user's over nothing
        }

        AddWithIds(map, rows, ids);
    }

    /// <summary>Adds byte rows (raw pixels) with ids of the user's; see <see cref="Add(ReadOnlySpan{float}, ReadOnlySpan{long})"/>.</summary>
    /// <param name="rows">Rows, row-major, <see cref="Dimension"/> values each.</param>
    /// <param name="ids">One id per row.</param>
    public void Add(ReadOnlySpan<byte> rows, ReadOnlySpan<long> ids)
        => Add(rows, ids, CancellationToken.None);

    /// <summary>Adds byte rows (raw pixels) with ids of the user's; see <see cref="Add(ReadOnlySpan{float}, ReadOnlySpan{long})"/>.</summary>
    /// <param name="rows">Rows, row-major, <see cref="Dimension"/> values each.</param>
    /// <param name="ids">One id per row.</param>
    /// <param name="cancellationToken">Stops the addition between chunks with <see cref="OperationCanceledException"/>.</param>
    public void Add(ReadOnlySpan<byte> rows, ReadOnlySpan<long> ids, CancellationToken cancellationToken)
        => Add(rows, ids, NoProgress, cancellationToken);

    /// <summary>Adds byte rows (raw pixels) with ids of the user's, reporting progress; see <see cref="Add(ReadOnlySpan{float}, ReadOnlySpan{long})"/>.</summary>
    /// <param name="rows">Rows, row-major, <see cref="Dimension"/> values each.</param>
    /// <param name="ids">One id per row.</param>
    /// <param name="progress">Receives each chunk's stage and how far it is, on the calling thread; null for none.</param>
    /// <param name="cancellationToken">Stops the addition between chunks with <see cref="OperationCanceledException"/>.</param>
    public void Add(ReadOnlySpan<byte> rows, ReadOnlySpan<long> ids, IProgress<NeighborIndexProgress>? progress, CancellationToken cancellationToken)
    {
        using var cancellation = Cancellation.Enter(cancellationToken);
        using var reporting = WorkProgress.Enter(progress);
        CheckByteRows(rows);
        CheckAdd([], nameof(rows));
        var map = CheckIds(rows.Length / _dimension, ids);

        // Every id is checked before the first chunk goes in, so a bad id never leaves a batch half added.
        var idArray = ids.ToArray();
        ByteRowChunks.ForEach(rows, _dimension, (chunk, first, count) =>
        {
            Cancellation.ThrowIfRequested();
            AddWithIds(map, chunk, idArray.AsSpan(first, count));
        });
    }

    private NeighborIds CheckIds(int rowCount, ReadOnlySpan<long> ids)
    {
        if (ids.Length != rowCount)
        {
            throw new ArgumentException($"{ids.Length} ids for {rowCount} rows: give one id per row.", nameof(ids));
        }

        if (_ids is null && _inner!.Count > 0)
        {
            throw new InvalidOperationException("This index holds rows added without ids (their ids are their row numbers); rows with ids of the user's cannot be mixed in. Create the index and add every row with ids.");
        }

        var map = _ids ?? new NeighborIds();
        map.CheckNew(ids, nameof(ids));
        return map;
    }

    private void AddWithIds(NeighborIds map, ReadOnlySpan<float> rows, ReadOnlySpan<long> ids)
    {
        int before = _inner!.Count;
        try
        {
            _inner.Add(rows);
        }
        finally
        {
            // Every row that went in gets its id, also when the add stopped part-way (a re-ranked index keeps the
            // chunks it added before a cancellation): rows and ids never fall out of step.
            int added = _inner.Count - before;
            if (added > 0)
            {
                map.Append(ids[..added], firstRow: before);
                _ids = map;
            }
        }
    }

    private void CheckByteRows(ReadOnlySpan<byte> rows, string parameter = "rows")
    {
        if (rows.Length % _dimension != 0)
        {
            throw new ArgumentException($"The {parameter} hold {rows.Length} values, which is not a multiple of the dimension {_dimension}.", parameter);
        }
    }

    /// <summary>
    /// Removes the rows with these ids (faiss' <c>remove_ids</c>; hnswlib's <c>mark_deleted</c> for every kind): no
    /// search returns them again, and the others are found as before. Ids not in the index are ignored. The rows'
    /// storage stays until the index is built again. Not thread-safe with searches.
    /// </summary>
    /// <param name="ids">Ids to remove: the user's ids, or row numbers for an index whose rows were added without ids.</param>
    /// <returns>How many rows were removed.</returns>
    /// <exception cref="InvalidOperationException">The index is read-only.</exception>
    public long Remove(ReadOnlySpan<long> ids)
    {
        CheckWritable();
        long removed = 0;
        int total = _inner?.Count ?? 0;
        foreach (long id in ids)
        {
            int row = _ids is not null ? _ids.RowOf(id) : (id >= 0 && id < total ? (int)id : -1);
            if (row >= 0 && _removed.Add(row))
            {
                _ids?.Forget(id);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>
    /// The <paramref name="k"/> nearest rows of each query by id, faiss' layout: query-major, k per query, nearest
    /// first (ties by row number); where fewer than k are found, id −1 and distance +∞ fill the rest. Ids are the
    /// user's (<see cref="Add(ReadOnlySpan{float}, ReadOnlySpan{long})"/>) or row numbers. Distances as
    /// <see cref="Search(ReadOnlySpan{float}, int, Span{int}, Span{float})"/>.
    /// </summary>
    /// <param name="queries">Queries, row-major, <see cref="Dimension"/> values each.</param>
    /// <param name="k">Neighbours per query, at least 1.</param>
    /// <param name="ids">Receives queries × k ids.</param>
    /// <param name="distances">Receives queries × k distances.</param>
    public void Search(ReadOnlySpan<float> queries, int k, Span<long> ids, Span<float> distances)
        => Search(queries, k, ids, distances, CancellationToken.None);

    /// <summary>
    /// The <paramref name="k"/> nearest rows of each query by id, faiss' layout: query-major, k per query, nearest
    /// first (ties by row number); where fewer than k are found, id −1 and distance +∞ fill the rest. Ids are the
    /// user's (<see cref="Add(ReadOnlySpan{float}, ReadOnlySpan{long})"/>) or row numbers. Distances as
    /// <see cref="Search(ReadOnlySpan{float}, int, Span{int}, Span{float})"/>.
    /// </summary>
    /// <param name="queries">Queries, row-major, <see cref="Dimension"/> values each.</param>
    /// <param name="k">Neighbours per query, at least 1.</param>
    /// <param name="ids">Receives queries × k ids.</param>
    /// <param name="distances">Receives queries × k distances.</param>
    /// <param name="cancellationToken">Stops a long search (between blocks of work) with <see cref="OperationCanceledException"/>.</param>
    public void Search(ReadOnlySpan<float> queries, int k, Span<long> ids, Span<float> distances, CancellationToken cancellationToken)
    {
        using var cancellation = Cancellation.Enter(cancellationToken);
        int count = CheckQueries(queries, k, ids.Length, distances.Length, nameof(ids));
        var rows = new int[count * k];
        SearchRows(queries, k, rows, distances);
        for (int i = 0; i < rows.Length; i++)
        {
            ids[i] = rows[i] < 0 ? -1 : _ids?.IdOf(rows[i]) ?? rows[i];
        }
    }

    /// <summary>Byte queries (raw pixels), widened to floats exactly; see <see cref="Search(ReadOnlySpan{float}, int, Span{long}, Span{float})"/>.</summary>
    /// <param name="queries">Queries, row-major, <see cref="Dimension"/> values each.</param>
    /// <param name="k">Neighbours per query, at least 1.</param>
    /// <param name="ids">Receives queries × k ids.</param>
    /// <param name="distances">Receives queries × k distances.</param>
    public void Search(ReadOnlySpan<byte> queries, int k, Span<long> ids, Span<float> distances)
        => Search(queries, k, ids, distances, CancellationToken.None);

    /// <summary>Byte queries (raw pixels), widened to floats exactly; see <see cref="Search(ReadOnlySpan{float}, int, Span{long}, Span{float})"/>.</summary>
    /// <param name="queries">Queries, row-major, <see cref="Dimension"/> values each.</param>
    /// <param name="k">Neighbours per query, at least 1.</param>
    /// <param name="ids">Receives queries × k ids.</param>
    /// <param name="distances">Receives queries × k distances.</param>
    /// <param name="cancellationToken">Stops a long search with <see cref="OperationCanceledException"/>.</param>
    public void Search(ReadOnlySpan<byte> queries, int k, Span<long> ids, Span<float> distances, CancellationToken cancellationToken)
    {
        CheckByteRows(queries, nameof(queries));
        var widened = new float[queries.Length];
        System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(queries, widened);
        Search(widened, k, ids, distances, cancellationToken);
    }

    /// <summary>
    /// Builds an index over <paramref name="rows"/> (row-major, <paramref name="dimension"/> values each).
    /// </summary>
    /// <param name="rows">The rows, row-major; finite values.</param>
    /// <param name="dimension">Values per row.</param>
    /// <param name="distance">The distance to rank by.</param>
    /// <param name="options">The index kind; null is exact.</param>
    /// <exception cref="ArgumentException">The data is not a whole number of rows, or holds NaN or infinite values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range for this data (named in the message).</exception>
    public static NeighborIndex Build(ReadOnlySpan<float> rows, int dimension, KnnDistance distance, NeighborIndexOptions? options = null)
        => Build(rows, dimension, distance, options, maxThreads: 0);

    internal static NeighborIndex Build(ReadOnlySpan<float> rows, int dimension, KnnDistance distance, NeighborIndexOptions? options, int maxThreads)
    {
        CheckShape(dimension, distance);
        if (rows.IsEmpty || rows.Length % dimension != 0)
        {
            throw new ArgumentException($"The rows hold {rows.Length} values, which is not a positive multiple of the dimension {dimension}.", nameof(rows));
        }

        CheckRows(rows, dimension, nameof(rows));
        options ??= new ExactIndexOptions();
        options.Validate(rows.Length / dimension);
        options.ValidateFor(distance);
        options.ValidateFor(dimension);
        INeighborIndex inner = options switch
        {
            { IsProductQuantized: true } => BuildProductQuantized(rows, dimension, distance, options, maxThreads),
            ExactIndexOptions { IsScalarQuantized: true } => BuildScalarQuantized(rows, dimension, distance, maxThreads),
            IvfIndexOptions ivf => IvfFlatIndex.Build(rows, dimension, distance, ivf, maxThreads),
            HnswIndexOptions hnsw => HnswIndex.Build(rows, dimension, distance, hnsw, maxThreads),
            _ => BuildFlat(rows, dimension, distance, maxThreads),
        };
        if (options.RefineFactor is { } factor)
        {
            var full = new FlatIndex(dimension, distance, maxThreads);
            full.Add(rows);
            inner = new RefinedIndex(inner, full, factor, maxThreads);
        }

        return new NeighborIndex(inner, options, maxThreads);
    }

    /// <summary>An index of product-quantized codes (exact or inverted file), trained on samples of the rows, then every row added.</summary>
    private static INeighborIndex BuildProductQuantized(ReadOnlySpan<float> rows, int dimension, KnnDistance distance, NeighborIndexOptions options, int maxThreads)
    {
        bool unit = distance == KnnDistance.Cosine;
        var (lists, kmeansRows, quantizerRows) = ProductQuantizedIndexes.SampleOrders(options, rows.Length / dimension);
        var index = ProductQuantizedIndexes.Train(options, lists, TrainingRows.Gather(rows, dimension, kmeansRows, unit), TrainingRows.Gather(rows, dimension, quantizerRows, unit), dimension, distance, maxThreads);
        index.Add(rows);
        return index;
    }

    /// <summary>An exact index of 8-bit codes, its ranges trained on every row.</summary>
    private static FlatIndex BuildScalarQuantized(ReadOnlySpan<float> rows, int dimension, KnnDistance distance, int maxThreads)
    {
        var training = new ScalarQuantizerTraining(dimension, distance == KnnDistance.Cosine);
        training.AddRows(rows);
        var index = new FlatIndex(dimension, distance, maxThreads, quantizer: training.ToQuantizer());
        index.Add(rows);
        return index;
    }

    private static FlatIndex BuildFlat(ReadOnlySpan<float> rows, int dimension, KnnDistance distance, int maxThreads)
    {
        var builder = new FlatIndexBuilder(dimension, distance, rows.Length / dimension);
        for (int r = 0; r < rows.Length / dimension; r++)
        {
            builder.Append(rows.Slice(r * dimension, dimension));
        }

        return builder.Build(maxThreads);
    }

    /// <summary>
    /// The <paramref name="k"/> nearest rows of each query, faiss' layout: query-major, k per query, nearest first
    /// (ties by row number); where fewer than k are found (an inverted file whose probed lists hold fewer rows), row
    /// −1 and distance +∞ fill the rest. Distances are the index's own: Euclidean for L2 (faiss reports its square),
    /// the sum of absolute differences for L1, 1 − cosine similarity for cosine.
    /// </summary>
    /// <param name="queries">Queries, row-major, <see cref="Dimension"/> values each.</param>
    /// <param name="k">Neighbours per query, at least 1 (above <see cref="Count"/>, row −1 and distance +∞ fill the rest, as faiss).</param>
    /// <param name="rows">Receives queries × k row numbers.</param>
    /// <param name="distances">Receives queries × k distances.</param>
    public void Search(ReadOnlySpan<float> queries, int k, Span<int> rows, Span<float> distances)
    {
        CheckQueries(queries, k, rows.Length, distances.Length, nameof(rows));
        SearchRows(queries, k, rows, distances);
    }

    /// <summary>The search every public overload ends in: row numbers, removed rows skipped, −1 / +∞ fill.</summary>
    internal void SearchRows(ReadOnlySpan<float> queries, int k, Span<int> rows, Span<float> distances)
    {
        int count = queries.Length / _dimension;
        if (_inner is null)
        {
            rows[..(count * k)].Fill(-1);
            distances[..(count * k)].Fill(float.PositiveInfinity);
            return;
        }

        _inner.Search(queries, k, distances, rows, _removed);
    }

    /// <summary>
    /// Whether this index belongs to a fitted model (<see cref="KnnModelParameters.Index"/>,
    /// <see cref="NearestNeighborsTransformer.Index"/>). Such an index is shared by every prediction engine and cursor
    /// of the model and saved with it, so <see cref="SetSearchSize"/> refuses to change it; use
    /// <see cref="WithSearchSize"/> (or the transformer's <c>WithSearchSize</c>) for a copy with its own search size.
    /// </summary>
    public bool IsReadOnly => _readOnly;

    /// <summary>
    /// Sets how much an approximate index searches: the number of probed lists of an inverted file (1 to its list
    /// count; probing every list gives the exact result), or efSearch of an HNSW graph (at least 1; k is used when
    /// larger). More is slower and finds more. Not thread-safe: call it between searches.
    /// </summary>
    /// <exception cref="InvalidOperationException">The index is exact (it has no search size), or read-only (<see cref="IsReadOnly"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The size is out of range for the index.</exception>
    public void SetSearchSize(int probesOrEf)
    {
        CheckSearchSize(probesOrEf);
        var hnsw = Hnsw;
        var ivf = Ivf;
        if (_readOnly)
        {
            throw new InvalidOperationException(
                "This index belongs to a fitted model, which every prediction shares and which is saved with it, so it is read-only. "
                + "Use index.WithSearchSize(n) for a copy with its own search size, or the transformer's WithSearchSize(n) for a model that searches with it.");
        }

        if (hnsw is not null)
        {
            hnsw.SearchSize = probesOrEf;
        }
        else if (ivf is not null)
        {
            ivf.NumberOfProbes = probesOrEf;
        }
        else
        {
            IvfPq!.NumberOfProbes = probesOrEf;
        }
    }

    /// <summary>
    /// A copy of this index that searches with another search size (see <see cref="SetSearchSize"/>): it shares the
    /// rows, the structure, ids and removals with this one (no copy of the data), and is not read-only, so its search
    /// size can be changed again. Since they share their rows, neither this index nor the copy takes
    /// <see cref="Add(ReadOnlySpan{float})"/> or <see cref="Remove"/> afterwards.
    /// </summary>
    /// <exception cref="InvalidOperationException">The index is exact (it has no search size).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The size is out of range for the index.</exception>
    public NeighborIndex WithSearchSize(int probesOrEf)
    {
        CheckSearchSize(probesOrEf);
        INeighborIndex inner = Hnsw is { } hnsw ? hnsw.WithSearchSize(probesOrEf) : Ivf is { } ivf ? ivf.WithProbes(probesOrEf) : IvfPq!.WithProbes(probesOrEf);
        if (Refined is { } refined)
        {
            inner = refined.WithBase(inner);
        }

        var copy = new NeighborIndex(inner, _options, _maxThreads) { _ids = _ids, _sharesStorage = true, _memoryMapped = _memoryMapped };
        foreach (int row in _removed.Rows())
        {
            copy._removed.Add(row);
        }

        _sharesStorage = true;
        return copy;
    }

    /// <summary>Marks the index as a fitted model's (see <see cref="IsReadOnly"/>) and returns it.</summary>
    internal NeighborIndex AsReadOnly()
    {
        _readOnly = true;
        return this;
    }

    private void CheckSearchSize(int probesOrEf)
    {
        if (Hnsw is not null)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(probesOrEf, 1);
            return;
        }

        if (_inner is null)
        {
            throw new InvalidOperationException(NotTrained + " first.");
        }

        if (ListCount is not { } lists)
        {
            throw new InvalidOperationException("An exact index compares every row; it has no search size to set.");
        }

        if (probesOrEf < 1 || probesOrEf > lists)
        {
            throw new ArgumentOutOfRangeException(nameof(probesOrEf), probesOrEf, $"The number of probes must be between 1 and the {lists} lists.");
        }
    }

    private void CheckWritable()
    {
        if (_readOnly)
        {
            throw new InvalidOperationException("This index belongs to a fitted model, which every prediction shares and which is saved with it, so it is read-only.");
        }

        if (_sharesStorage)
        {
            throw new InvalidOperationException("This index shares its rows with a copy made by WithSearchSize, so rows can no longer be added or removed; use SetSearchSize on an index that grows.");
        }
    }

    private void CheckAdd(ReadOnlySpan<float> rows, string parameter)
    {
        CheckWritable();
        if (_memoryMapped)
        {
            throw new InvalidOperationException("This index was loaded with memoryMapped: true, so its codes or rows are read from the file in place and it takes no rows: load it with LoadFaiss(path) to add rows (Remove works on either).");
        }

        if (_inner is null)
        {
            throw new InvalidOperationException(NotTrained + " before Add, as faiss does.");
        }

        CheckRows(rows, parameter);
    }

    private void CheckRows(ReadOnlySpan<float> rows, string parameter) => CheckRows(rows, _dimension, parameter);

    private static void CheckRows(ReadOnlySpan<float> rows, int dimension, string parameter)
    {
        if (rows.Length % dimension != 0)
        {
            throw new ArgumentException($"The rows hold {rows.Length} values, which is not a multiple of the dimension {dimension}.", parameter);
        }

        float largest = rows.IsEmpty ? 0f : System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(rows);
        if (!float.IsFinite(largest))
        {
            throw new ArgumentException($"The rows hold {(float.IsNaN(largest) ? "NaN" : "an infinite value")}; rows must be finite.", parameter);
        }
    }

    private static void CheckShape(int dimension, KnnDistance distance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (!Enum.IsDefined(distance))
        {
            throw new ArgumentOutOfRangeException(nameof(distance), distance, $"Distance must be one of {string.Join(", ", Enum.GetNames<KnnDistance>())}.");
        }
    }

    private int CheckQueries(ReadOnlySpan<float> queries, int k, int resultLength, int distancesLength, string resultName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (queries.Length % _dimension != 0)
        {
            throw new ArgumentException($"The queries hold {queries.Length} values, which is not a multiple of the dimension {_dimension}.", nameof(queries));
        }

        long needed = (long)(queries.Length / _dimension) * k;
        if (resultLength < needed || distancesLength < needed)
        {
            throw new ArgumentException($"The result spans must hold queries × k = {needed} values; they hold {resultLength} and {distancesLength}.", resultLength < needed ? resultName : "distances");
        }

        return queries.Length / _dimension;
    }

    /// <summary>
    /// Writes the index in faiss' binary format, for <c>faiss.read_index</c>: exact L2 as IndexFlatL2, exact L1 as
    /// IndexFlat (METRIC_L1), an inverted file as IndexIVFFlat with its quantizer and lists (row numbers as ids, the
    /// current number of probes as nprobe), an HNSW graph as IndexHNSWFlat (its links as they are; efSearch as set).
    /// Cosine is written as inner product on unit-length rows (IndexFlatIP / an inner-product IndexIVFFlat): faiss
    /// then ranks by cosine similarity for unit-length queries, and reports the similarity, not 1 − similarity. An
    /// index whose rows carry ids of the user's, or that had rows removed, is written as an IndexIDMap2 (<c>IxM2</c>)
    /// around the index of the rows that remain, so faiss returns the same ids.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <exception cref="NotSupportedException">An L1 inverted file or HNSW graph (faiss' IndexIVFFlat and IndexHNSWFlat are written for L2 or inner product); an HNSW graph with removed rows (faiss' has no removal).</exception>
    /// <exception cref="InvalidOperationException">An inverted file not trained yet.</exception>
    public void SaveFaiss(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        CheckFaissForm();
        using var file = File.Create(path);
        MLNet.KnnLinear.Search.Faiss.FaissWriter.Write(this, file);
    }

    /// <summary>Writes the index in faiss' binary format to <paramref name="stream"/>; see <see cref="SaveFaiss(string)"/>.</summary>
    /// <param name="stream">A writable stream; it is left open.</param>
    public void SaveFaiss(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckFaissForm();
        MLNet.KnnLinear.Search.Faiss.FaissWriter.Write(this, stream);
    }

    private void CheckFaissForm()
    {
        if (_inner is null)
        {
            throw new InvalidOperationException("The index is not trained: there is nothing to save yet.");
        }

        if (Count == 0)
        {
            throw new InvalidOperationException("The index holds no rows: faiss' files of empty indexes are not written (add rows first).");
        }

        if (Ivf is { Distance: KnnDistance.L1 })
        {
            throw new NotSupportedException("faiss' IndexIVFFlat searches by L2 or inner product only, so an L1 inverted file has no faiss form; save an exact L1 index, or build the inverted file with L2 or cosine.");
        }

        if (Hnsw is { Distance: KnnDistance.L1 })
        {
            throw new NotSupportedException("faiss 1.7.3's IndexHNSWFlat is written for L2 or inner product; an L1 HNSW graph has no faiss form. Save an exact L1 index instead.");
        }

        if (Hnsw is not null && HasRemovedRows)
        {
            throw new NotSupportedException("faiss' IndexHNSWFlat has no removal, so an HNSW graph with removed rows has no faiss form; build the graph again from the rows that remain, or save it before removing.");
        }
    }

    /// <summary>
    /// Reads an index faiss wrote (<c>faiss.write_index</c>): IndexFlatL2, IndexFlatIP, IndexFlat with METRIC_L1, and
    /// IndexIVFFlat (L2 or inner product) with array inverted lists and the ids faiss' <c>add</c> gives (0, 1, …), and
    /// IndexHNSWFlat (its graph checked for consistency, which faiss does not do), each also inside an IndexIDMap or
    /// IndexIDMap2 (<c>IxMp</c> / <c>IxM2</c>), whose ids then become the rows' ids (unique and non-negative).
    /// Inner-product indexes load as cosine and must hold unit-length vectors.
    /// </summary>
    /// <param name="path">The faiss file.</param>
    /// <exception cref="InvalidDataException">The file is damaged, or holds an index kind, metric or id scheme this library does not read (the message says which).</exception>
    public static NeighborIndex LoadFaiss(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var file = File.OpenRead(path);
        return MLNet.KnnLinear.Search.Faiss.FaissReader.Read(file, path);
    }

    /// <summary>
    /// Reads an index faiss wrote (see <see cref="LoadFaiss(string)"/>); with <paramref name="memoryMapped"/> true (faiss'
    /// <c>IO_FLAG_MMAP</c>), the file is mapped into memory and the bulk of the index is searched where it lies in the
    /// file instead of being read into memory: the codes of an exact index of product codes (<c>IndexPQ</c>), and the
    /// rows of a re-ranked index (<c>IndexRefineFlat</c>: only the candidates' rows are read). The operating system
    /// loads those pages on first touch and may drop them again, so they take no managed heap and no private memory,
    /// and processes mapping the same file share them. Other parts (centroids, inverted lists, graph links, exact flat
    /// and 8-bit indexes, whose search layout differs from the file's) are read into memory as by
    /// <see cref="LoadFaiss(string)"/>; a file with nothing to map loads as by it (<see cref="IsMemoryMapped"/> false).
    /// The mapping lives as long as the index; the file must not be changed while it does. Such an index takes no
    /// rows (<see cref="Add(ReadOnlySpan{float})"/> is refused); <see cref="Remove"/> and every search work.
    /// </summary>
    /// <param name="path">The faiss file.</param>
    /// <param name="memoryMapped">Map the file and search in place (true), or read it (false: <see cref="LoadFaiss(string)"/>).</param>
    /// <exception cref="InvalidDataException">The file is damaged, or holds an index kind, metric or id scheme this library does not read (the message says which).</exception>
    public static NeighborIndex LoadFaiss(string path, bool memoryMapped)
    {
        if (!memoryMapped)
        {
            return LoadFaiss(path);
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var mapped = new MappedFile(path);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            var index = MLNet.KnnLinear.Search.Faiss.FaissReader.Read(file, path, mapped, out bool keptMapped);
            if (!keptMapped)
            {
                mapped.Dispose();   // nothing of this kind is searched in place: an index read into memory, as LoadFaiss(path)
            }

            index._memoryMapped = keptMapped;
            return index;
        }
        catch
        {
            mapped.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether part of the index is searched in place in a memory-mapped file (<see cref="LoadFaiss(string, bool)"/> of a
    /// kind it maps); it then takes no rows. False for kinds read into memory whatever was asked.
    /// </summary>
    public bool IsMemoryMapped => _memoryMapped;

    /// <summary>Reads an index in faiss' binary format from <paramref name="stream"/>; see <see cref="LoadFaiss(string)"/>.</summary>
    /// <param name="stream">A readable stream, read from its position (a stream that cannot seek is first copied to memory).</param>
    public static NeighborIndex LoadFaiss(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }

        return MLNet.KnnLinear.Search.Faiss.FaissReader.Read(stream, "(stream)");
    }

    internal void CopyRow(int row, Span<float> destination) => Inner.CopyRow(row, destination);

    /// <summary>Whether row number <paramref name="row"/> was removed.</summary>
    internal bool IsRemoved(int row) => _removed.Contains(row);

    /// <summary>The id of row number <paramref name="row"/>: the user's, or the row number itself.</summary>
    internal long IdOfRow(int row) => _ids?.IdOf(row) ?? row;

    /// <summary>This index (fresh from a file) with ids of the user's for its rows, in row order (a faiss IndexIDMap).</summary>
    /// <exception cref="ArgumentException">An id is negative or repeated.</exception>
    internal NeighborIndex WithIds(long[] ids)
    {
        var map = new NeighborIds();
        try
        {
            map.CheckNew(ids, nameof(ids));
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ArgumentException(e.Message, nameof(ids), e);
        }

        map.Append(ids, firstRow: 0);
        _ids = map;
        return this;
    }
}
