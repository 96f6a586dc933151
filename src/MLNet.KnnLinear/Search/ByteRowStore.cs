using System.Runtime.CompilerServices;
namespace MLNet.KnnLinear.Search;

/// <summary>
/// Byte rows (raw pixels) collected as they come, row-major, in chunks of whole rows of at most
/// <see cref="ChunkBytes"/>, so collecting them is not bound by one array's 2^31 elements: what a fit holds while an
/// approximate index waits for its rows (its centroids are trained on a sample of all of them first).
/// </summary>
internal sealed class ByteRowStore
{
    /// <summary>The most bytes one chunk holds: 64 MiB (at least one row).</summary>
    public const int ChunkBytes = 64 << 20;

    private readonly List<byte[]> _chunks = [];
    private readonly int _rowsPerChunk;
    private readonly long _expectedRows;

    public ByteRowStore(int dimension, long expectedRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;
        _rowsPerChunk = Math.Max(1, ChunkBytes / dimension);
        _expectedRows = Math.Max(1, expectedRows);
    }

    public int Dimension { get; }

    public int Count { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    public void Append(ReadOnlySpan<byte> row)
    {
        int chunk = Count / _rowsPerChunk;
        int slot = Count % _rowsPerChunk;
        if (chunk == _chunks.Count)
        {
            // The first chunk is sized by the rows expected; later ones are whole (the last is trimmed by nothing:
            // the store lives only while the index is built).
            long rows = chunk == 0 ? Math.Min(_expectedRows, _rowsPerChunk) : _rowsPerChunk;
            _chunks.Add(new byte[rows * Dimension]);
        }
        else if ((long)(slot + 1) * Dimension > _chunks[chunk].LongLength)
        {
            var grown = new byte[Math.Min(_rowsPerChunk, Math.Max(slot + 1L, 2L * slot)) * Dimension];
            _chunks[chunk].CopyTo(grown, 0);
            _chunks[chunk] = grown;
        }

        row.CopyTo(_chunks[chunk].AsSpan(slot * Dimension, Dimension));
        Count++;
    }

    /// <summary>Row <paramref name="row"/>.</summary>
    public ReadOnlySpan<byte> Row(int row) => _chunks[row / _rowsPerChunk].AsSpan((row % _rowsPerChunk) * Dimension, Dimension);

    /// <summary>The rows in order, as contiguous batches (one per chunk).</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Batches()
    {
        for (int chunk = 0; chunk < _chunks.Count; chunk++)
        {
            int rows = Math.Min(_rowsPerChunk, Count - (chunk * _rowsPerChunk));
            yield return _chunks[chunk].AsMemory(0, rows * Dimension);
        }
    }
}
