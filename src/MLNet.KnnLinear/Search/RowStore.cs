using System.Runtime.CompilerServices;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// Rows collected as they come, row-major, in chunks of native memory of whole rows of at most
/// <see cref="ChunkBytes"/> (<see cref="NativePanelChunks"/> with a row as its panel), so collecting them is not bound
/// by one array's 2^31 elements and growing never leaves garbage for the GC (a chunk grows in place or is freed at
/// once): byte rows (raw pixels) a fit holds while an approximate index waits for its rows (its centroids are trained
/// on a sample of all of them first), and the rows an exact L1 index searches (<see cref="ByteL1Scan"/> and
/// <see cref="FloatL1Scan"/>, which read them chunk by chunk). Spans it returns are valid while the store lives and
/// nothing is appended: readers keep it alive (<see cref="GC.KeepAlive"/>). Appending is not thread-safe; reading is.
/// </summary>
/// <typeparam name="T">The value type: byte or float.</typeparam>
internal sealed unsafe class RowStore<T>
    where T : unmanaged
{
    /// <summary>The most bytes one chunk holds: 64 MiB (at least one row).</summary>
    public const long ChunkBytes = 64L << 20;

    private readonly NativePanelChunks _chunks;

    /// <param name="dimension">Values per row.</param>
    /// <param name="expectedRows">Rows expected (sizes the first chunk; more or fewer still work).</param>
    /// <param name="chunkBytes">The most bytes a chunk holds (tests set it small to cross chunk boundaries).</param>
    public RowStore(int dimension, long expectedRows, long chunkBytes = ChunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;
        _chunks = new NativePanelChunks((long)dimension * sizeof(T), Math.Max(1, expectedRows), chunkBytes);
    }

    /// <summary>
    /// A read-only store of <paramref name="rows"/> rows that lie row-major in a mapped file from
    /// <paramref name="offset"/> on: no copy, the file's pages are read as the rows are.
    /// </summary>
    public static RowStore<T> OverFile(MappedFile file, long offset, int dimension, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        var chunks = NativePanelChunks.OverFile(file, offset, (long)dimension * sizeof(T), rows, ChunkBytes);
        return new RowStore<T>(dimension, chunks) { Count = rows };
    }

    private RowStore(int dimension, NativePanelChunks chunks)
    {
        Dimension = dimension;
        _chunks = chunks;
    }

    /// <summary>Whether the rows are read from a mapped file (read-only).</summary>
    public bool IsMapped => _chunks.IsMapped;

    /// <summary>A store holding a copy of <paramref name="rows"/> (a whole number of rows of <paramref name="dimension"/> values).</summary>
    public static RowStore<T> CopyOf(ReadOnlySpan<T> rows, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (rows.Length % dimension != 0)
        {
            throw new ArgumentException($"Row data length {rows.Length} is not a multiple of the dimension {dimension}.", nameof(rows));
        }

        var store = new RowStore<T>(dimension, rows.Length / dimension);
        for (int r = 0; r < rows.Length / dimension; r++)
        {
            store.Append(rows.Slice(r * dimension, dimension));
        }

        return store;
    }

    public int Dimension { get; }

    public int Count { get; private set; }

    /// <summary>Rows a chunk holds (the last may hold fewer).</summary>
    public int RowsPerChunk => _chunks.PanelsPerChunk;

    /// <summary>Bytes held.</summary>
    public long MemoryBytes => _chunks.MemoryBytes;

    /// <summary>Expects <paramref name="rows"/> more rows than held now (chunks are sized by the rows expected).</summary>
    public void Reserve(long rows) => _chunks.Reserve(Count + Math.Max(0, rows));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    public void Append(ReadOnlySpan<T> row)
    {
        if (Count == int.MaxValue)
        {
            throw new InvalidOperationException($"A row store holds at most {int.MaxValue} rows.");
        }

        _chunks.Ensure(Count);
        row.CopyTo(new Span<T>(_chunks.Panel(Count), Dimension));
        Count++;
    }

    /// <summary>Row <paramref name="row"/> (valid while the store lives and nothing is appended).</summary>
    public ReadOnlySpan<T> Row(int row) => new(_chunks.Panel(row), Dimension);

    /// <summary>Row <paramref name="row"/> to change in place (valid while the store lives and nothing is appended).</summary>
    public Span<T> MutableRow(int row) => new(_chunks.Panel(row), Dimension);

    /// <summary>
    /// Rows [<paramref name="first"/>, first + <paramref name="count"/>), contiguous: they must lie in one chunk (a
    /// chunk's rows; see <see cref="RowsPerChunk"/>). Valid while the store lives and nothing is appended.
    /// </summary>
    public ReadOnlySpan<T> Rows(int first, int count)
    {
        if (count > 0 && first / RowsPerChunk != (first + count - 1) / RowsPerChunk)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Rows {first} to {first + count - 1} lie in two chunks.");
        }

        return new(_chunks.Panel(first), checked(count * Dimension));
    }

    /// <summary>Calls <paramref name="action"/> with the rows in order, one chunk's rows at a time.</summary>
    public void ForEachChunk(ChunkAction action)
    {
        for (int first = 0; first < Count; first += RowsPerChunk)
        {
            action(Rows(first, Math.Min(RowsPerChunk, Count - first)));
        }

        GC.KeepAlive(this);
    }

    /// <summary>Forgets the rows from <paramref name="count"/> on (an add that failed part-way); their memory is reused by the next rows.</summary>
    public void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
    }

    /// <summary>Gives back the unused end of the last chunk (after the last row is appended).</summary>
    public void Trim() => _chunks.Trim(Count);

    /// <summary>Receives one chunk's rows, row-major.</summary>
    public delegate void ChunkAction(ReadOnlySpan<T> rows);
}
