using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear.Tests.Search;

/// <summary>
/// L1 over byte rows held in chunks (<see cref="RowStore{T}"/>: no 2^31-byte ceiling): rows that cross chunk ends,
/// odd rows per chunk (so the kernel's pairs of rows would straddle two chunks if a scan did not split there), and
/// searches split over threads, give the ids and distances of an int64 brute-force reference; the store's trimmed
/// memory is the row bytes.
/// </summary>
public sealed class ByteL1ChunkTests
{
    [Theory]
    [InlineData(37, 3, 301, 1)]       // 3 rows a chunk: every pair of rows from an odd row crosses a chunk end
    [InlineData(37, 3, 301, 2)]
    [InlineData(3072, 5, 97, 2)]
    [InlineData(1, 7, 10_000, 2)]     // past 2 × 4,096 rows: two threads split the rows, each split inside a chunk
    public void RowsAcrossChunks_SearchAsAnInt64Reference(int dimension, int rowsPerChunk, int rowCount, int threads)
    {
        var random = new Random(dimension + rowsPerChunk);
        var rows = new byte[rowCount * dimension];
        random.NextBytes(rows);
        var store = new RowStore<byte>(dimension, expectedRows: 10, chunkBytes: rowsPerChunk * dimension);
        for (int r = 0; r < rowCount; r++)
        {
            store.Append(rows.AsSpan(r * dimension, dimension));
        }

        store.Trim();
        store.RowsPerChunk.Should().Be(rowsPerChunk);
        store.MemoryBytes.Should().Be((long)rowCount * dimension, "the last chunk is trimmed to its rows");

        var index = new FlatIndex(new ByteL1Scan(store), rowCount, dimension, KnnDistance.L1, maxThreads: threads);
        const int queryCount = 9;
        const int k = 5;
        var queries = new float[queryCount * dimension];
        for (int i = 0; i < queries.Length; i++)
        {
            queries[i] = random.Next(256);
        }

        // Query 0 is the last row: distance 0.
        for (int i = 0; i < dimension; i++)
        {
            queries[i] = rows[((rowCount - 1) * dimension) + i];
        }

        var found = new int[queryCount * k];
        var distances = new float[queryCount * k];
        index.Search(queries, k, distances, found);
        for (int q = 0; q < queryCount; q++)
        {
            var expected = Enumerable.Range(0, rowCount)
                .Select(r => (Row: r, Distance: Int64L1(rows.AsSpan(r * dimension, dimension), queries.AsSpan(q * dimension, dimension))))
                .OrderBy(x => x.Distance).ThenBy(x => x.Row).Take(k).ToArray();
            found.AsSpan(q * k, k).ToArray().Should().Equal(expected.Select(x => x.Row), $"query {q}");
            distances.AsSpan(q * k, k).ToArray().Should().Equal(expected.Select(x => (float)x.Distance), $"query {q}");
        }

        distances[0].Should().Be(0, "query 0 is the last row");
        var copy = new byte[dimension];
        index.CopyRow(rowCount - 2, copy);
        copy.Should().Equal(rows.AsSpan((rowCount - 2) * dimension, dimension).ToArray());
    }

    [Fact]
    public void AStoreCopiedFromOneArray_HoldsItsRows_AndRefusesARaggedOne()
    {
        var rows = Enumerable.Range(0, 12).Select(i => (byte)i).ToArray();
        var store = RowStore<byte>.CopyOf(rows, 4);
        store.Count.Should().Be(3);
        store.Row(2).ToArray().Should().Equal(8, 9, 10, 11);
        var ragged = () => RowStore<byte>.CopyOf(rows.AsSpan(0, 10), 4);
        ragged.Should().Throw<ArgumentException>().WithMessage("*10*multiple*4*");
    }

    private static long Int64L1(ReadOnlySpan<byte> row, ReadOnlySpan<float> query)
    {
        long sum = 0;
        for (int i = 0; i < row.Length; i++)
        {
            sum += Math.Abs(row[i] - (long)query[i]);
        }

        return sum;
    }
}
