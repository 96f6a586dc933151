using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using MLNet.KnnLinear.Pipeline;
using MLNet.KnnLinear.Search.Hnsw;
using MLNet.KnnLinear.Search.Ivf;
using MLNet.KnnLinear.Search.Quantization;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// The one fit of a <see cref="NeighborIndex"/> from rows read off a cursor, shared by the kNN trainer and the
/// nearest-neighbours step: rows are appended one at a time as the cursor gives them. An exact index takes them
/// straight into its search layout (<see cref="FlatIndexBuilder"/>: one read, one copy; pixel bytes stay bytes for L1).
/// An approximate index collects them first (an inverted file keeps pixel rows as bytes, in chunks; HNSW widens them) and
/// is built from them at once, as
/// <see cref="NeighborIndex.Build(ReadOnlySpan{float}, int, KnnDistance, NeighborIndexOptions?)"/> builds it: an
/// inverted file trains its centroids on a seeded sample of all the rows, so the same rows give the same index
/// whichever component fits it.
/// </summary>
internal sealed class NeighborIndexFit
{
    private readonly int _dimension;
    private readonly KnnDistance _distance;
    private readonly NeighborIndexOptions _options;
    private readonly FlatIndexBuilder? _exact;
    private RowStore<float>? _rows;

    /// <summary>An inverted file's rows while every one is a byte row (pixels): held as bytes, trained on and filed as bytes.</summary>
    private RowStore<byte>? _byteRows;
    private readonly ByteRowNarrowing _narrowing;
    private float[]? _widened;
    private readonly long? _rowCount;

    /// <param name="dimension">The length of every row.</param>
    /// <param name="distance">The distance the index ranks by.</param>
    /// <param name="options">The index kind.</param>
    /// <param name="rowCount">The input's row count when it knows it (one exact allocation, and progress "rows read"); more or fewer rows still work.</param>
    public NeighborIndexFit(int dimension, KnnDistance distance, NeighborIndexOptions options, long? rowCount)
    {
        _rowCount = rowCount;
        _narrowing = new ByteRowNarrowing(dimension);
        long expectedRows = rowCount ?? 256;
        _dimension = dimension;
        _distance = distance;
        _options = options;
        options.ValidateFor(distance);
        options.ValidateFor(dimension);
        if (options is ExactIndexOptions { NeedsTraining: false })
        {
            _exact = new FlatIndexBuilder(dimension, distance, expectedRows);
        }
        else if (options is IvfIndexOptions or ExactIndexOptions)
        {
            // Held until every row is in: a scalar quantizer's ranges are trained on all of them, an inverted file's
            // centroids on a sample of all of them.
            _byteRows = new RowStore<byte>(dimension, expectedRows);
        }
        else
        {
            _rows = new RowStore<float>(dimension, expectedRows);
        }
    }

    /// <summary>Rows appended so far.</summary>
    public int Count { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    public void Append(ReadOnlySpan<float> row)
    {
        CheckCancellation();
        if (_exact is not null)
        {
            _exact.Append(row);
        }
        else if (_byteRows is not null && _narrowing.TryNarrow(row, out var bytes))
        {
            _byteRows.Append(bytes);
        }
        else
        {
            if (_byteRows is not null)
            {
                SwitchToFloats();
            }

            _rows!.Append(row);
        }

        Count++;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    public void Append(ReadOnlySpan<byte> row)
    {
        CheckCancellation();
        if (_exact is not null)
        {
            _exact.Append(row);
        }
        else if (_byteRows is not null)
        {
            _byteRows.Append(row);
        }
        else
        {
            _widened ??= new float[_dimension];
            TensorPrimitives.ConvertTruncating(row, _widened);
            _rows!.Append(_widened);
        }

        Count++;
    }

    /// <summary>Every 4,096 rows (a few milliseconds of reading), a look at the cancellation scope and a progress report.</summary>
    private void CheckCancellation()
    {
        if ((Count & 4095) == 4095)
        {
            Cancellation.ThrowIfRequested();
            if (_rowCount is long total && Count < total)
            {
                WorkProgress.Report("rows read", Count, total);
            }
        }
    }

    /// <summary>The index of every row appended.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range for this many rows (named in the message).</exception>
    public NeighborIndex Build(int maxThreads)
    {
        if (_exact is not null)
        {
            return new NeighborIndex(_exact.Build(maxThreads));
        }

        _options.Validate(Count);
        INeighborIndex inner;
        if (_options.IsProductQuantized)
        {
            inner = BuildProductQuantized(maxThreads);
        }
        else if (_options is ExactIndexOptions)
        {
            inner = BuildScalarQuantized(maxThreads);
        }
        else if (_byteRows is not null)
        {
            inner = IvfFlatIndex.Build(_byteRows, _distance, (IvfIndexOptions)_options, maxThreads);
        }
        else
        {
            // Rows in chunks, never one array: an inverted file trains on its sample and files them chunk by chunk; an
            // HNSW graph keeps the store.
            inner = _options is HnswIndexOptions hnsw
                ? HnswIndex.Build(_rows!, _distance, hnsw, maxThreads)
                : IvfFlatIndex.Build(_rows!, _distance, (IvfIndexOptions)_options, maxThreads);
        }

        return new NeighborIndex(RefinedIfAsked(inner, maxThreads), _options, maxThreads);
    }

    /// <summary>
    /// The encoded index wrapped to re-rank on the rows as they are, when the options ask for it
    /// (<see cref="NeighborIndexOptions.RefineFactor"/>): the rows held go into an exact index beside the codes, pixel
    /// rows as bytes.
    /// </summary>
    private INeighborIndex RefinedIfAsked(INeighborIndex encoded, int maxThreads)
    {
        if (_options.RefineFactor is not { } factor)
        {
            return encoded;
        }

        var full = new FlatIndex(_dimension, _distance, maxThreads);
        if (_byteRows is { } bytes)
        {
            full.Reserve(bytes.Count);
            bytes.ForEachChunk(chunk => full.Add(chunk));
        }
        else
        {
            _rows!.ForEachChunk(chunk => full.Add(chunk));
        }

        return new RefinedIndex(encoded, full, factor, maxThreads);
    }

    /// <summary>
    /// An index of product-quantized codes (exact or inverted file): trained on samples of the rows held, then the rows
    /// encoded chunk by chunk (the rows held, bytes or floats, are freed with this fit).
    /// </summary>
    private INeighborIndex BuildProductQuantized(int maxThreads)
    {
        bool unit = _distance == KnnDistance.Cosine;
        var (lists, kmeansRows, quantizerRows) = ProductQuantizedIndexes.SampleOrders(_options, Count);
        INeighborIndex index;
        if (_byteRows is { } bytes)
        {
            index = ProductQuantizedIndexes.Train(_options, lists, TrainingRows.Gather(bytes, kmeansRows, unit), TrainingRows.Gather(bytes, quantizerRows, unit), _dimension, _distance, maxThreads);
            bytes.ForEachChunk(chunk => index.Add(chunk));
            return index;
        }

        index = ProductQuantizedIndexes.Train(_options, lists, TrainingRows.Gather(_rows!, kmeansRows, unit), TrainingRows.Gather(_rows!, quantizerRows, unit), _dimension, _distance, maxThreads);
        _rows!.ForEachChunk(chunk => index.Add(chunk));
        return index;
    }

    /// <summary>
    /// An exact index of 8-bit codes: the quantizer's ranges trained on every row held, then the rows encoded chunk by
    /// chunk (the rows held, bytes or floats, are freed with this fit).
    /// </summary>
    private FlatIndex BuildScalarQuantized(int maxThreads)
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("The index holds no rows.");
        }

        var training = new ScalarQuantizerTraining(_dimension, _distance == KnnDistance.Cosine);
        FlatIndex index;
        if (_byteRows is { } bytes)
        {
            bytes.ForEachChunk(training.AddRows);
            index = new FlatIndex(_dimension, _distance, maxThreads, quantizer: training.ToQuantizer());
            bytes.ForEachChunk(chunk => index.Add(chunk));
            return index;
        }

        _rows!.ForEachChunk(chunk => training.AddRows(chunk));
        index = new FlatIndex(_dimension, _distance, maxThreads, quantizer: training.ToQuantizer());
        _rows.ForEachChunk(chunk => index.Add(chunk));
        return index;
    }

    /// <summary>The first row that is not a byte: the byte rows so far move into the float rows (once, in row order).</summary>
    private void SwitchToFloats()
    {
        var bytes = _byteRows!;
        _rows = new RowStore<float>(_dimension, Math.Max(_rowCount ?? 256, bytes.Count + 1L));
        var rows = _rows;
        var widened = new float[_dimension];
        for (int r = 0; r < bytes.Count; r++)
        {
            TensorPrimitives.ConvertTruncating(bytes.Row(r), widened);
            rows.Append(widened);
        }

        _byteRows = null;
    }
}
