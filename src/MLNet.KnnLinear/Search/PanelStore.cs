namespace MLNet.KnnLinear.Search;

/// <summary>
/// Rows held in panels of <see cref="PanelRows"/> in chunks of native memory (<see cref="NativePanelChunks"/>): the
/// row count, room for the next rows, reserving and trimming that byte panels (<see cref="BytePanels"/>) and float
/// panels (<see cref="FloatPanels"/>) share; each lays its rows out in its own panel format. All sizes are 64-bit.
/// Appending is not thread-safe; reading is.
/// </summary>
internal abstract unsafe class PanelStore
{
    /// <summary>Rows in a panel: the column count of both micro-kernels (<c>ByteDotTile.Columns</c>, <c>DotTile.Columns</c>).</summary>
    public const int PanelRows = 16;

    private readonly NativePanelChunks _chunks;

    /// <param name="dimension">Features per row.</param>
    /// <param name="panelBytes">Bytes of one panel.</param>
    /// <param name="expectedRows">Rows expected (sizes the first chunk; more or fewer still work).</param>
    /// <param name="chunkBytes">The most bytes a chunk holds.</param>
    protected PanelStore(int dimension, long panelBytes, long expectedRows, long chunkBytes)
    {
        Dimension = dimension;
        _chunks = new NativePanelChunks(panelBytes, PanelsFor(expectedRows), chunkBytes);
    }

    public int Dimension { get; }

    public int Count { get; private set; }

    /// <summary>Bytes held, padding included.</summary>
    public long MemoryBytes => _chunks.MemoryBytes;

    /// <summary>Expects <paramref name="rows"/> more rows than held now, so the chunks they need are allocated once at their size.</summary>
    public void Reserve(long rows) => _chunks.Reserve(PanelsFor(Count + Math.Max(0, rows)));

    /// <summary>Gives back the unused end of the last chunk (after the last row is appended).</summary>
    public void Trim() => _chunks.Trim((int)PanelsFor(Count));

    /// <summary>The first byte of panel <paramref name="panel"/> (valid while this store lives and nothing is appended).</summary>
    protected byte* PanelStart(int panel) => _chunks.Panel(panel);

    /// <summary>
    /// Makes room for <paramref name="rows"/> more rows from row <see cref="Count"/> on (one row, or a whole panel from a
    /// panel's first row) and returns the panel row <see cref="Count"/> goes in; <see cref="EndRows"/> then counts them.
    /// </summary>
    protected int BeginRows(int rows)
    {
        if (Count > int.MaxValue - rows)
        {
            throw new InvalidOperationException($"An exact index holds at most {int.MaxValue} rows.");
        }

        int panel = Count / PanelRows;
        if (Count % PanelRows == 0)
        {
            _chunks.Ensure(panel);
        }

        return panel;
    }

    /// <summary>Counts the <paramref name="rows"/> rows just written.</summary>
    protected void EndRows(int rows) => Count += rows;

    private static long PanelsFor(long rows) => (Math.Max(0, rows) + PanelRows - 1) / PanelRows;
}
