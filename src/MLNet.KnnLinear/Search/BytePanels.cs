using System.Runtime.CompilerServices;
using MLNet.KnnLinear.Kernels;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// Byte rows (raw pixels) laid out as <see cref="ByteDotTile"/> reads them: panels of 16 rows, each panel stored
/// feature pair by feature pair (the 16 rows' two bytes of features 2p and 2p + 1 side by side, 32 bytes), an odd
/// dimension padded with one zero feature, the last panel padded with zero rows. Panels live in chunks of at most
/// <see cref="ChunkBytes"/> of native memory (<see cref="NativePanelChunks"/>), so the rows are not bound by one
/// array's 2^31 elements and a search holds raw pointers into them. All sizes are 64-bit. Appending is not
/// thread-safe; reading is.
/// </summary>
internal sealed unsafe class BytePanels : PanelStore
{
    /// <summary>The most bytes one chunk holds: 64 MiB (whole panels; at least one panel).</summary>
    public const long ChunkBytes = 64L << 20;

    /// <param name="dimension">Features per row.</param>
    /// <param name="expectedRows">Rows expected (sizes the first chunk; more or fewer still work).</param>
    /// <param name="chunkBytes">The most bytes a chunk holds (tests set it small to cross chunk boundaries).</param>
    public BytePanels(int dimension, long expectedRows, long chunkBytes = ChunkBytes)
        : base(dimension, PanelBytesFor(dimension), expectedRows, chunkBytes)
    {
        Pairs = (int)((dimension + 1L) / 2);
        PanelBytes = PanelBytesFor(dimension);
    }

    /// <summary>Feature pairs per row (the dimension rounded up to even, halved).</summary>
    public int Pairs { get; }

    /// <summary>Bytes of one panel: 16 rows × <see cref="Pairs"/> × 2.</summary>
    public long PanelBytes { get; }


    /// <summary>Appends one row of <see cref="PanelStore.Dimension"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    public void Append(ReadOnlySpan<byte> row)
    {
        int lane = Count % PanelRows;
        byte* p = Panel(BeginRows(1)) + (2 * lane);
        int d = row.Length;
        fixed (byte* source = row)
        {
            // A feature pair is two adjacent bytes in the row and in the panel: one 16-bit move each.
            ushort* pairs = (ushort*)source;
            int whole = d / 2;
            for (int k = 0; k < whole; k++)
            {
                *(ushort*)p = System.Runtime.CompilerServices.Unsafe.ReadUnaligned<ushort>(pairs + k);
                p += ByteDotTile.PairBytes;
            }

            if ((d & 1) != 0)
            {
                p[0] = source[d - 1];
            }
        }

        EndRows(1);
    }

    /// <summary>
    /// Appends <see cref="PanelStore.PanelRows"/> rows of <see cref="PanelStore.Dimension"/> bytes, row-major at <paramref name="rows"/>,
    /// as one whole panel (<see cref="BytePairPacking"/>: 16-byte stores instead of <see cref="Append"/>'s 16-bit ones).
    /// Only where <see cref="PanelStore.Count"/> is a whole number of panels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    public void AppendPanel(ReadOnlySpan<byte> rows)
    {
        if (Count % PanelRows != 0 || rows.Length != (long)PanelRows * Dimension)
        {
            throw new InvalidOperationException($"A whole panel is {PanelRows} rows of {Dimension} bytes appended after whole panels; {Count} rows are held and {rows.Length} bytes were given.");
        }

        int panel = BeginRows(PanelRows);
        fixed (byte* source = rows)
        {
            BytePairPacking.PackPanel(source, Dimension, Dimension, Panel(panel));
        }

        EndRows(PanelRows);
    }

    /// <summary>The first byte of panel <paramref name="panel"/> (valid while this store lives and nothing is appended).</summary>
    public byte* Panel(int panel) => PanelStart(panel);

    /// <summary>Row <paramref name="row"/> as bytes.</summary>
    public void CopyRow(int row, Span<byte> destination)
    {
        byte* p = Panel(row / PanelRows) + (2 * (row % PanelRows));
        for (int k = 0; k < Dimension; k++)
        {
            destination[k] = p[((k >> 1) * ByteDotTile.PairBytes) + (k & 1)];
        }

        GC.KeepAlive(this); // the finalizer frees what p points into
    }

    /// <summary>Row <paramref name="row"/> widened to floats.</summary>
    public void CopyRow(int row, Span<float> destination)
    {
        byte* p = Panel(row / PanelRows) + (2 * (row % PanelRows));
        for (int k = 0; k < Dimension; k++)
        {
            destination[k] = p[((k >> 1) * ByteDotTile.PairBytes) + (k & 1)];
        }

        GC.KeepAlive(this); // the finalizer frees what p points into
    }

    /// <summary>
    /// Features [<paramref name="k0"/>, k0 + <paramref name="kc"/>) of one panel as floats in <c>PanelPacking</c>'s
    /// layout (16 consecutive floats per feature), what the float micro-kernel reads.
    /// </summary>
    public void WidenPanel(int panel, int k0, int kc, float* destination)
    {
        BytePanelWidening.Widen(Panel(panel), k0, kc, destination);
        GC.KeepAlive(this);
    }

    private static long PanelBytesFor(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        long bytes = (dimension + 1L) / 2 * ByteDotTile.PairBytes;
        if (bytes > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"Byte rows of {dimension} features are too long to store in panels of {PanelRows}.");
        }

        return bytes;
    }
}
