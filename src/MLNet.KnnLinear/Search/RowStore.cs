using System.Runtime.CompilerServices;
namespace MLNet.KnnLinear.Search;

/// <summary>
/// Rows collected as they come, row-major, in chunks of whole rows of at most <see cref="ChunkBytes"/>, so collecting
/// them is not bound by one array's 2^31 elements: byte rows (raw pixels) a fit holds while an approximate index waits
/// for its rows (its centroids are trained on a sample of all of them first), and the rows an exact L1 index searches
/// (<see cref="ByteL1Scan"/> and <see cref="FloatL1Scan"/>, which read them chunk by chunk).
/// </summary>
/// <typeparam name="T">The value type: byte or float.</typeparam>
internal sealed class RowStore<T>
    where T : unmanaged
{
    /// <summary>The most bytes one chunk holds: 64 MiB (at least one row).</summary>
    public const int ChunkBytes = 64 << 20;

    private readonly List<T[]> _chunks = [];
    private readonly int _rowsPerChunk;
    private readonly long _expectedRows;
    private readonly bool _adopted;

    /// <param name="dimension">Bytes per row.</param>
    /// <param name="expectedRows">Rows expected (sizes the first chunk; more or fewer still work).</param>
    /// <param name="chunkBytes">The most bytes a chunk holds (tests set it small to cross chunk boundaries).</param>
    public RowStore(int dimension, long expectedRows, int chunkBytes = ChunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;
        _rowsPerChunk = (int)Math.Max(1, chunkBytes / ((long)dimension * Unsafe.SizeOf<T>()));
        _expectedRows = Math.Max(1, expectedRows);
    }

    /// <summary>A store of the rows in <paramref name="rows"/> (row-major), which it takes as its one chunk, whatever its size; nothing can be appended.</summary>
    private RowStore(T[] rows, int dimension)
    {
        Dimension = dimension;
        Count = rows.Length / dimension;
        _rowsPerChunk = Math.Max(1, Count);
        _expectedRows = Count;
        _chunks.Add(rows);
        _adopted = true;
    }

    /// <summary>A read-only store over <paramref name="rows"/> (a whole number of rows of <paramref name="dimension"/> bytes), without a copy.</summary>
    public static RowStore<T> Adopt(T[] rows, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (rows.Length % dimension != 0)
        {
            throw new ArgumentException($"Row data length {rows.Length} is not a multiple of the dimension {dimension}.", nameof(rows));
        }

        return new RowStore<T>(rows, dimension);
    }

    public int Dimension { get; }

    public int Count { get; private set; }

    /// <summary>Rows a chunk holds (the last may hold fewer).</summary>
    public int RowsPerChunk => _rowsPerChunk;

    /// <summary>Chunks held: row r is in chunk r / <see cref="RowsPerChunk"/>.</summary>
    public int ChunkCount => _chunks.Count;

    /// <summary>Bytes held.</summary>
    public long MemoryBytes => _chunks.Sum(c => c.LongLength) * Unsafe.SizeOf<T>();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    public void Append(ReadOnlySpan<T> row)
    {
        if (_adopted || Count == int.MaxValue)
        {
            throw new InvalidOperationException(_adopted ? "Rows adopted from one array cannot be appended to." : $"A row store holds at most {int.MaxValue} rows.");
        }

        int chunk = Count / _rowsPerChunk;
        int slot = Count % _rowsPerChunk;
        if (chunk == _chunks.Count)
        {
            // The first chunk is sized by the rows expected; later ones are whole (the last is trimmed by nothing:
            // the store lives only while the index is built).
            long rows = chunk == 0 ? Math.Min(_expectedRows, _rowsPerChunk) : _rowsPerChunk;
            _chunks.Add(new T[rows * Dimension]);
        }
        else if ((long)(slot + 1) * Dimension > _chunks[chunk].LongLength)
        {
            var grown = new T[Math.Min(_rowsPerChunk, Math.Max(slot + 1L, 2L * slot)) * Dimension];
            _chunks[chunk].CopyTo(grown, 0);
            _chunks[chunk] = grown;
        }

        row.CopyTo(_chunks[chunk].AsSpan(slot * Dimension, Dimension));
        Count++;
    }

    /// <summary>Chunk <paramref name="chunk"/>: its rows, row-major (the chunk's array may be longer).</summary>
    public T[] Chunk(int chunk) => _chunks[chunk];

    /// <summary>Gives back the unused end of the last chunk (after the last row is appended).</summary>
    public void Trim()
    {
        if (_chunks.Count == 0 || _adopted)
        {
            return;
        }

        long used = (long)(Count - ((_chunks.Count - 1) * _rowsPerChunk)) * Dimension;
        if (used < _chunks[^1].LongLength)
        {
            var last = _chunks[^1];
            Array.Resize(ref last, (int)used);
            _chunks[^1] = last;
        }
    }

    /// <summary>Row <paramref name="row"/>.</summary>
    public ReadOnlySpan<T> Row(int row) => _chunks[row / _rowsPerChunk].AsSpan((row % _rowsPerChunk) * Dimension, Dimension);

    /// <summary>The rows in order, as contiguous batches (one per chunk).</summary>
    public IEnumerable<ReadOnlyMemory<T>> Batches()
    {
        for (int chunk = 0; chunk < _chunks.Count; chunk++)
        {
            int rows = Math.Min(_rowsPerChunk, Count - (chunk * _rowsPerChunk));
            yield return _chunks[chunk].AsMemory(0, rows * Dimension);
        }
    }
}
