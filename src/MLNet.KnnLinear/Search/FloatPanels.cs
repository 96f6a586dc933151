using System.Runtime.CompilerServices;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// Float rows laid out as the GEMM micro-kernel reads them (<see cref="PanelPacking"/>'s layout: panels of 16 rows,
/// each k-major, the last padded with zero rows), in chunks of native memory (<see cref="NativePanelChunks"/>), so an
/// exact L2 or cosine index of float rows is not bound by one array's 2^31 elements (699,050 rows of 3,072) and a
/// search holds raw pointers into it. All sizes are 64-bit. Appending is not thread-safe; reading is.
/// </summary>
internal sealed unsafe class FloatPanels
{
    /// <summary>The most bytes one chunk holds: 64 MiB (whole panels; at least one panel).</summary>
    public const long ChunkBytes = 64L << 20;

    public const int PanelRows = PanelPacking.PanelRows;

    private readonly NativePanelChunks _chunks;

    /// <param name="dimension">Features per row.</param>
    /// <param name="expectedRows">Rows expected (sizes the first chunk; more or fewer still work).</param>
    /// <param name="chunkBytes">The most bytes a chunk holds (tests set it small to cross chunk boundaries).</param>
    public FloatPanels(int dimension, long expectedRows, long chunkBytes = ChunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;
        PanelFloats = (long)PanelRows * dimension;
        if (PanelFloats > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"Rows of {dimension} features are too long to store in panels of {PanelRows}.");
        }

        _chunks = new NativePanelChunks(PanelFloats * sizeof(float), PanelsFor(expectedRows), chunkBytes);
    }

    public int Dimension { get; }

    /// <summary>Floats of one panel: 16 × <see cref="Dimension"/>.</summary>
    public long PanelFloats { get; }

    public int Count { get; private set; }

    /// <summary>Bytes held, padding included.</summary>
    public long MemoryBytes => _chunks.MemoryBytes;

    /// <summary>Expects <paramref name="rows"/> more rows than held now, so the chunks they need are allocated once at their size.</summary>
    public void Reserve(long rows) => _chunks.Reserve(PanelsFor(Count + Math.Max(0, rows)));

    /// <summary>Appends one row of <see cref="Dimension"/> floats into its lane of the current panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    public void Append(ReadOnlySpan<float> row)
    {
        if (Count == int.MaxValue)
        {
            throw new InvalidOperationException($"An exact index holds at most {int.MaxValue} rows.");
        }

        int panel = Count / PanelRows;
        int lane = Count % PanelRows;
        if (lane == 0)
        {
            _chunks.Ensure(panel);
        }

        PanelPacking.WriteRow(PanelSpan(panel), lane, row);
        Count++;
    }

    /// <summary>The first float of panel <paramref name="panel"/> (valid while this store lives and nothing is appended).</summary>
    public float* Panel(int panel) => (float*)_chunks.Panel(panel);

    /// <summary>Panel <paramref name="panel"/>'s floats (valid while this store lives and nothing is appended).</summary>
    public Span<float> PanelSpan(int panel) => new(Panel(panel), (int)PanelFloats);

    /// <summary>Row <paramref name="row"/>.</summary>
    public void CopyRow(int row, Span<float> destination)
    {
        float* p = Panel(row / PanelRows) + (row % PanelRows);
        for (int k = 0; k < Dimension; k++)
        {
            destination[k] = p[(long)k * PanelRows];
        }

        GC.KeepAlive(this); // the finalizer frees what p points into
    }

    /// <summary>Gives back the unused end of the last chunk (after the last row is appended).</summary>
    public void Trim() => _chunks.Trim((int)PanelsFor(Count));

    private static long PanelsFor(long rows) => (Math.Max(0, rows) + PanelRows - 1) / PanelRows;
}
