using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear.Tests.Search;

/// <summary>
/// Float rows in GEMM panels held in chunks of native memory (<see cref="FloatPanels"/>: no 2^31-float ceiling): an
/// index whose panels cross many small chunks ranks and measures bit for bit as one whose panels sit in one chunk
/// (L2 and cosine, fractional and whole-number rows, searches split over two threads), gives back every row, and
/// holds its panels' bytes once trimmed.
/// </summary>
public sealed class FloatPanelChunkTests
{
    [Theory]
    [InlineData(KnnDistance.L2, 5, 10_000, false)]     // past 2 × 4,096 rows: two threads, each range across chunks
    [InlineData(KnnDistance.Cosine, 5, 10_000, false)]
    [InlineData(KnnDistance.L2, 37, 333, true)]         // whole numbers in [−255, 255]: the exact mode
    [InlineData(KnnDistance.L2, 3072, 100, false)]
    public void PanelsAcrossChunks_SearchAsPanelsInOneChunk(KnnDistance distance, int dimension, int rowCount, bool wholeNumbers)
    {
        var random = new Random(dimension + rowCount);
        var rows = new float[rowCount * dimension];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = wholeNumbers ? random.Next(-255, 256) : (float)((random.NextDouble() * 2) - 1);
        }

        long panelBytes = 16L * dimension * sizeof(float);
        var chunked = new GemmScanBuilder(dimension, distance == KnnDistance.Cosine, expectedRows: 10, chunkBytes: 3 * panelBytes);
        var whole = new GemmScanBuilder(dimension, distance == KnnDistance.Cosine, expectedRows: rowCount);
        for (int r = 0; r < rowCount; r++)
        {
            chunked.Append(rows.AsSpan(r * dimension, dimension));
            whole.Append(rows.AsSpan(r * dimension, dimension));
        }

        var a = chunked.Build();
        var b = whole.Build();
        a.IsExact.Should().Be(wholeNumbers);
        long panels = (rowCount + 15) / 16;
        a.MemoryBytes.Should().Be(b.MemoryBytes).And.BeGreaterThanOrEqualTo(panels * panelBytes);

        var copy = new float[dimension];
        foreach (int r in new[] { 0, 47, rowCount - 1 })
        {
            a.CopyRow(r, copy);
            copy.Should().Equal(rows.AsSpan(r * dimension, dimension).ToArray(), $"row {r}");
        }

        var index = new FlatIndex(a, rowCount, dimension, distance, maxThreads: 2);
        var reference = new FlatIndex(b, rowCount, dimension, distance, maxThreads: 1);
        const int queryCount = 13;
        const int k = 6;
        var queries = rows.AsSpan(0, queryCount * dimension).ToArray();
        queries[3] += 0.5f;   // one fractional query among whole-number ones
        var found = new int[queryCount * k];
        var distances = new float[queryCount * k];
        var expectedFound = new int[queryCount * k];
        var expectedDistances = new float[queryCount * k];
        index.Search(queries, k, distances, found);
        reference.Search(queries, k, expectedDistances, expectedFound);
        found.Should().Equal(expectedFound);
        distances.Should().Equal(expectedDistances);
        if (wholeNumbers)
        {
            found[0].Should().Be(0, "query 0 is row 0, exactly at distance 0 in the exact mode");
        }
    }
}
