using System.Runtime.CompilerServices;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// Float rows laid out as the GEMM micro-kernel reads them (<see cref="PanelPacking"/>'s layout: panels of 16 rows,
/// each k-major, the last padded with zero rows), in chunks of native memory (<see cref="NativePanelChunks"/>), so an
/// exact L2 or cosine index of float rows is not bound by one array's 2^31 elements (699,050 rows of 3,072) and a
/// search holds raw pointers into it. All sizes are 64-bit. Appending is not thread-safe; reading is.
/// </summary>
internal sealed unsafe class FloatPanels : PanelStore
{
    /// <summary>The most bytes one chunk holds: 64 MiB (whole panels; at least one panel).</summary>
    public const long ChunkBytes = 64L << 20;

    /// <param name="dimension">Features per row.</param>
    /// <param name="expectedRows">Rows expected (sizes the first chunk; more or fewer still work).</param>
    /// <param name="chunkBytes">The most bytes a chunk holds (tests set it small to cross chunk boundaries).</param>
    public FloatPanels(int dimension, long expectedRows, long chunkBytes = ChunkBytes)
        : base(dimension, PanelFloatsFor(dimension) * sizeof(float), expectedRows, chunkBytes)
    {
        PanelFloats = PanelFloatsFor(dimension);
    }

    /// <summary>Floats of one panel: 16 × <see cref="PanelStore.Dimension"/>.</summary>
    public long PanelFloats { get; }

    /// <summary>Appends one row of <see cref="PanelStore.Dimension"/> floats into its lane of the current panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    public void Append(ReadOnlySpan<float> row)
    {
        int lane = Count % PanelRows;
        PanelPacking.WriteRow(PanelSpan(BeginRows(1)), lane, row);
        EndRows(1);
    }

    /// <summary>The first float of panel <paramref name="panel"/> (valid while this store lives and nothing is appended).</summary>
    public float* Panel(int panel) => (float*)PanelStart(panel);

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

    private static long PanelFloatsFor(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        long floats = (long)PanelRows * dimension;
        if (floats > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"Rows of {dimension} features are too long to store in panels of {PanelRows}.");
        }

        return floats;
    }
}
