namespace MLNet.KnnLinear.Search;

/// <summary>
/// Builds a <see cref="FlatIndex"/> from rows appended one at a time, straight into the layout its distance searches
/// (GEMM panels for L2 and cosine; bytes, or floats, for L1), so that fitting reads the data once and holds it once.
/// </summary>
internal sealed class FlatIndexBuilder
{
    private readonly GemmScanBuilder? _gemm;
    private readonly L1ScanBuilder? _l1;
    private readonly int _dimension;
    private readonly KnnDistance _distance;
    private float[]? _widened;

    /// <param name="dimension">The length of every row.</param>
    /// <param name="distance">The distance the index will rank by.</param>
    /// <param name="expectedRows">The number of rows expected (for exact allocation; more or fewer still work).</param>
    public FlatIndexBuilder(int dimension, KnnDistance distance, long expectedRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        _dimension = dimension;
        _distance = distance;
        if (distance == KnnDistance.L1)
        {
            _l1 = new L1ScanBuilder(dimension, expectedRows);
        }
        else
        {
            _gemm = new GemmScanBuilder(dimension, distance == KnnDistance.Cosine, expectedRows);
        }
    }

    public int Count => _gemm?.Count ?? _l1!.Count;

    public void Append(ReadOnlySpan<float> row)
    {
        if (row.Length != _dimension)
        {
            throw new ArgumentException($"A row of {row.Length} values; the index holds rows of {_dimension}.", nameof(row));
        }

        if (_gemm is not null)
        {
            _gemm.Append(row);
        }
        else
        {
            _l1!.Append(row);
        }
    }

    /// <summary>
    /// Appends a row of bytes (raw pixels): L1 stores them as they are; L2 and cosine widen the one row into their
    /// float panels. No float copy of the whole data is ever made.
    /// </summary>
    public void Append(ReadOnlySpan<byte> row)
    {
        if (row.Length != _dimension)
        {
            throw new ArgumentException($"A row of {row.Length} values; the index holds rows of {_dimension}.", nameof(row));
        }

        if (_l1 is not null)
        {
            _l1.Append(row);
            return;
        }

        _widened ??= new float[_dimension];
        System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(row, _widened);
        _gemm!.Append(_widened);
    }

    public DistanceScan BuildScan() => _gemm is not null ? _gemm.Build() : _l1!.Build();

    public FlatIndex Build(int maxThreads = 0)
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("The index holds no rows.");
        }

        return new FlatIndex(BuildScan(), Count, _dimension, _distance, maxThreads);
    }
}
