using System.Runtime.CompilerServices;
using MLNet.KnnLinear.Search.Quantization;
namespace MLNet.KnnLinear.Search;

/// <summary>
/// Builds a <see cref="FlatIndex"/> from rows appended one at a time, straight into the layout its distance searches,
/// so that fitting reads the data once and holds it once: for L2 and cosine, byte panels while every value is a whole
/// number in [0, 255] (raw pixels; <see cref="BytePanelScan"/>), switching once to float GEMM panels
/// (<see cref="GemmScan"/>) at the first row that is not; for L1, bytes or floats the same way. With a scalar
/// quantizer, every row is encoded into 8-bit codes instead (<see cref="ScalarQuantizedScanBuilder"/>).
/// </summary>
internal sealed class FlatIndexBuilder
{
    private readonly L1ScanBuilder? _l1;
    private readonly long _expectedRows;
    private GemmScanBuilder? _gemm;
    private BytePanelScanBuilder? _bytePanels;
    private readonly ScalarQuantizedScanBuilder? _codes;
    private readonly ByteRowNarrowing _narrowing;
    private readonly int _dimension;
    private readonly KnnDistance _distance;
    private float[]? _widened;
    private readonly long _storageChunkBytes;

    /// <param name="dimension">The length of every row.</param>
    /// <param name="distance">The distance the index will rank by.</param>
    /// <param name="expectedRows">The number of rows expected (for exact allocation; more or fewer still work).</param>
    /// <param name="storageChunkBytes">The most bytes one chunk of byte panels holds.</param>
    /// <param name="quantizer">Rows are stored as its 8-bit codes (L2 and cosine); null: as they are.</param>
    public FlatIndexBuilder(int dimension, KnnDistance distance, long expectedRows, long storageChunkBytes = BytePanels.ChunkBytes, ScalarQuantizer? quantizer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        _dimension = dimension;
        _distance = distance;
        _expectedRows = expectedRows;
        _storageChunkBytes = storageChunkBytes;
        _narrowing = new ByteRowNarrowing(dimension);
        if (quantizer is not null)
        {
            _codes = new ScalarQuantizedScanBuilder(quantizer, distance == KnnDistance.Cosine, expectedRows, storageChunkBytes);
        }
        else if (distance == KnnDistance.L1)
        {
            _l1 = new L1ScanBuilder(dimension, expectedRows);
        }
        else
        {
            _bytePanels = new BytePanelScanBuilder(dimension, distance == KnnDistance.Cosine, expectedRows, storageChunkBytes);
        }
    }

    public int Count => _codes?.Count ?? _bytePanels?.Count ?? _gemm?.Count ?? _l1!.Count;

    /// <summary>Expects <paramref name="rows"/> more rows: every layout allocates for them at once.</summary>
    public void Reserve(long rows)
    {
        _bytePanels?.Reserve(rows);
        _codes?.Reserve(rows);
        _gemm?.Reserve(rows);
        _l1?.Reserve(rows);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    public void Append(ReadOnlySpan<float> row)
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

        if (_codes is not null)
        {
            _codes.Append(row);
            return;
        }

        if (_bytePanels is not null && _narrowing.TryNarrow(row, out var bytes))
        {
            _bytePanels.Append(bytes);
            return;
        }

        if (_bytePanels is not null)
        {
            SwitchToFloatPanels();
        }

        _gemm!.Append(row);
    }

    /// <summary>
    /// Appends a row of bytes (raw pixels): stored as bytes, or widened into float panels once a row that is not
    /// bytes made the index switch. No float copy of the whole data is ever made.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
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

        if (_bytePanels is not null)
        {
            _bytePanels.Append(row);
            return;
        }

        _widened ??= new float[_dimension];
        System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(row, _widened);
        if (_codes is not null)
        {
            _codes.Append(_widened);
            return;
        }

        _gemm!.Append(_widened);
    }

    public DistanceScan BuildScan() => _codes is not null ? _codes.Build() : _bytePanels is not null ? _bytePanels.Build() : _gemm is not null ? _gemm.Build() : _l1!.Build();

    /// <summary>Appends a scalar-quantized row's code as it is (a builder with a quantizer only).</summary>
    public void AppendCode(ReadOnlySpan<byte> code)
        => (_codes ?? throw new InvalidOperationException("The index stores rows, not codes.")).AppendCode(code);

    /// <summary>The first row that is not a byte: the byte rows so far move into float panels (once, in row order).</summary>
    private void SwitchToFloatPanels()
    {
        var bytes = _bytePanels!.Panels;
        _gemm = new GemmScanBuilder(_dimension, _distance == KnnDistance.Cosine, Math.Max(_expectedRows, bytes.Count + 1L));
        var row = new float[_dimension];
        for (int r = 0; r < bytes.Count; r++)
        {
            bytes.CopyRow(r, row);
            _gemm.Append(row);
        }

        _bytePanels = null;
    }

    public FlatIndex Build(int maxThreads = 0)
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("The index holds no rows.");
        }

        return new FlatIndex(BuildScan(), Count, _dimension, _distance, maxThreads, _storageChunkBytes);
    }
}
