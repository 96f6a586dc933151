using System.Numerics.Tensors;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// Byte rows (raw pixels) widened to floats a bounded chunk at a time, so adding or searching a large byte batch
/// never holds a float copy of all of it: whole rows of at most <see cref="ChunkBytes"/> of floats (at least one row).
/// </summary>
internal static class ByteRowChunks
{
    /// <summary>The float bytes one chunk may take: 16 MiB.</summary>
    public const int ChunkBytes = 16 << 20;

    /// <summary>Rows per chunk for rows of <paramref name="dimension"/> values.</summary>
    public static int RowsPerChunk(int dimension) => Math.Max(1, ChunkBytes / sizeof(float) / dimension);

    /// <summary>
    /// Calls <paramref name="add"/> with rows [first, first + count) of <paramref name="rows"/> widened to floats,
    /// chunk after chunk, through one reused buffer.
    /// </summary>
    public static void ForEach(ReadOnlySpan<byte> rows, int dimension, ChunkAction add)
    {
        int total = rows.Length / dimension;
        int perChunk = RowsPerChunk(dimension);
        var buffer = new float[(long)Math.Min(perChunk, total) * dimension];
        for (int first = 0; first < total; first += perChunk)
        {
            int n = Math.Min(perChunk, total - first);
            var chunk = buffer.AsSpan(0, n * dimension);
            TensorPrimitives.ConvertTruncating(rows.Slice(first * dimension, n * dimension), chunk);
            add(chunk, first, n);
        }
    }

    /// <summary>Receives one chunk: its floats, the index of its first row, and its row count.</summary>
    public delegate void ChunkAction(ReadOnlySpan<float> chunk, int first, int count);
}
