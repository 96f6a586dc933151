using MLNet.KnnLinear.Search;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Search;

/// <summary>
/// L2 and cosine over pixel rows held as bytes (<see cref="BytePanelScan"/>): the same neighbours and the same
/// distances, bit for bit, as the float GEMM panels held before (whole-number, fractional and mixed queries), exact
/// integer distances against an int64 reference (odd dimensions, past the kernel's 32-bit limit), rows that cross
/// the storage's chunks, a switch to floats at the first row that is not a byte, and the memory held.
/// </summary>
public sealed class BytePanelScanTests
{
    [Theory]
    [InlineData(KnnDistance.L2, 3072, 700)]
    [InlineData(KnnDistance.Cosine, 3072, 700)]
    [InlineData(KnnDistance.L2, 37, 5000)]
    [InlineData(KnnDistance.Cosine, 1, 300)]
    public void ByteRows_RankAndMeasureAsFloatPanels_BitForBit(KnnDistance distance, int dimension, int rowCount)
    {
        var random = new Random(dimension + rowCount);
        var rows = Enumerable.Range(0, rowCount * dimension).Select(_ => (float)random.Next(256)).ToArray();
        var bytes = BuildBytes(rows, dimension, distance);
        var floats = BuildFloats(rows, dimension, distance);
        bytes.StoresBytes.Should().BeTrue();

        // Whole-number queries (exact mode), negative ones within ±255 too, fractional ones, and all mixed in one batch.
        const int n = 20;
        var queries = new float[n * dimension];
        for (int i = 0; i < queries.Length; i++)
        {
            int q = i / dimension;
            queries[i] = q % 3 == 0 ? (float)(random.NextDouble() * 300) - 20 : q % 3 == 1 ? random.Next(-255, 256) : random.Next(256);
        }

        Array.Copy(rows, 0, queries, 2 * dimension, dimension);   // a query equal to row 0: distance 0

        const int k = 7;
        var (byteRows, byteDistances) = Search(bytes, queries, k);
        var (floatRows, floatDistances) = Search(floats, queries, k);
        byteRows.Should().Equal(floatRows);
        byteDistances.Should().Equal(floatDistances);
        byteRows[2 * k].Should().Be(0);
    }

    [Theory]
    [InlineData(KnnDistance.L2, 3073)]
    [InlineData(KnnDistance.L2, 40_001)]      // past 32,768 features: the 32-bit sums move into 64-bit ones
    [InlineData(KnnDistance.Cosine, 40_001)]
    public void WholeNumberQueries_GetExactIntegerDistances(KnnDistance distance, int dimension)
    {
        const int rowCount = 40;
        var random = new Random(dimension);
        var rows = new float[rowCount * dimension];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = i < dimension ? 255 : random.Next(256);   // row 0 all 255
        }

        var queries = new float[3 * dimension];
        for (int i = 0; i < queries.Length; i++)
        {
            queries[i] = i < dimension ? -255 : random.Next(-255, 256);   // query 0 all −255: the largest sums
        }

        var index = BuildBytes(rows, dimension, distance);
        var keys = new double[3 * rowCount];
        var found = new int[3 * rowCount];
        index.SearchKeys(queries, rowCount, keys, found);
        for (int q = 0; q < 3; q++)
        {
            for (int i = 0; i < rowCount; i++)
            {
                int row = found[(q * rowCount) + i];
                var (dot, qq, rr) = Int64Dot(queries.AsSpan(q * dimension, dimension), rows.AsSpan(row * dimension, dimension));
                double expected = distance == KnnDistance.L2
                    ? qq + rr - (2 * dot)
                    : qq == 0 || rr == 0 ? 1 : 1 - (dot / (Math.Sqrt(qq) * Math.Sqrt(rr)));
                keys[(q * rowCount) + i].Should().Be(expected, $"query {q}, row {row}");
            }

            found.AsSpan(q * rowCount, rowCount).ToArray().Should().OnlyHaveUniqueItems();
        }
    }

    [Fact]
    public void RowsAcrossStorageChunks_AreStoredAndSearchedAsOne()
    {
        const int dimension = 99;      // 50 pairs: panels of 1,600 bytes, 2 to a chunk of 3,500 bytes
        const int rowCount = 16 * 9 + 5;
        var random = new Random(5);
        var rows = Enumerable.Range(0, rowCount * dimension).Select(_ => (float)random.Next(256)).ToArray();
        var builder = new BytePanelScanBuilder(dimension, cosine: false, expectedRows: 10, chunkBytes: 3_500);
        var row = new byte[dimension];
        for (int r = 0; r < rowCount; r++)
        {
            for (int i = 0; i < dimension; i++)
            {
                row[i] = (byte)rows[(r * dimension) + i];
            }

            builder.Append(row);
        }

        var scan = builder.Build();
        var copy = new float[dimension];
        for (int r = 0; r < rowCount; r++)
        {
            scan.CopyRow(r, copy);
            copy.Should().Equal(rows.AsSpan(r * dimension, dimension).ToArray(), $"row {r}");
        }

        var index = new FlatIndex(scan, rowCount, dimension, KnnDistance.L2, maxThreads: 1);
        var (found, distances) = Search(index, rows, 3);
        var (expectedRows, expectedDistances) = Search(BuildFloats(rows, dimension, KnnDistance.L2), rows, 3);
        found.Should().Equal(expectedRows);
        distances.Should().Equal(expectedDistances);
    }

    [Fact]
    public void ARowThatIsNotAByte_SwitchesTheIndexToFloatPanels_KeepingEveryRow()
    {
        const int dimension = 10;
        var rows = Enumerable.Range(0, 50 * dimension).Select(i => (float)(i % 256)).ToArray();
        rows[(40 * dimension) + 3] = 0.5f;
        var index = BuildBytes(rows, dimension, KnnDistance.L2);
        index.StoresBytes.Should().BeFalse();
        var (found, distances) = Search(index, rows, 1);
        found.Should().Equal(Enumerable.Range(0, 50));
        distances.Should().AllSatisfy(d => d.Should().Be(0));
    }

    [Fact]
    public void ByteRows_HoldAQuarterOfFloatPanels_Within5PercentOfTheirBytesPlusNorms()
    {
        const int dimension = 3072;
        const int rowCount = 5000;
        var random = new Random(9);
        var rows = Enumerable.Range(0, rowCount * dimension).Select(_ => (float)random.Next(256)).ToArray();
        var index = BuildBytes(rows, dimension, KnnDistance.L2);
        long rowBytes = (long)rowCount * dimension;
        long norms = rowCount * sizeof(double);
        index.MemoryBytes.Should().BeLessThanOrEqualTo((long)(1.05 * rowBytes) + norms);
        index.MemoryBytes.Should().BeGreaterThanOrEqualTo(rowBytes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(8)]
    public void ByteRowsAddedInBatches_SearchedBetween_GiveWhatFloatRowsAddedAtOnceGive(int? lists)
    {
        const int dimension = 48;
        const int rowCount = 1000;
        var random = new Random(13);
        var bytes = new byte[rowCount * dimension];
        random.NextBytes(bytes);
        var floats = bytes.Select(b => (float)b).ToArray();
        NeighborIndexOptions? options = lists is int l ? new IvfIndexOptions { NumberOfLists = l, NumberOfProbes = 3, Seed = 2 } : null;
        var byBatches = NeighborIndex.Create(dimension, KnnDistance.L2, options);
        var atOnce = NeighborIndex.Create(dimension, KnnDistance.L2, options);
        byBatches.Train(floats);
        atOnce.Train(floats);
        atOnce.Add(floats);
        var queries = floats.AsSpan(0, 30 * dimension).ToArray();
        var ids = new long[30 * 5];
        var distances = new float[30 * 5];
        foreach (int end in new[] { 100, 101, 450, 1000 })
        {
            int start = (int)byBatches.Count;
            byBatches.Add(bytes.AsSpan(start * dimension, (end - start) * dimension));
            byBatches.Search(queries, 5, ids, distances);   // lays the rows out; the next batch reopens them
        }

        var expectedIds = new long[30 * 5];
        var expectedDistances = new float[30 * 5];
        atOnce.Search(queries, 5, expectedIds, expectedDistances);
        byBatches.Count.Should().Be(rowCount);
        ids.Should().Equal(expectedIds);
        distances.Should().Equal(expectedDistances);
    }

    [Fact]
    public void AnInvertedFilesByteAdd_CancelledBeforeFiling_LeavesTheIndexAsItWas()
    {
        const int dimension = 16;
        var random = new Random(17);
        var bytes = new byte[400 * dimension];
        random.NextBytes(bytes);
        var index = NeighborIndex.Create(dimension, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 4, NumberOfProbes = 4, Seed = 1 });
        index.Train(bytes.Select(b => (float)b).ToArray());
        index.Add(bytes.AsSpan(0, 100 * dimension));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        FluentActions.Invoking(() => index.Add(bytes.AsSpan(100 * dimension), cancelled.Token)).Should().Throw<OperationCanceledException>();
        index.Count.Should().Be(100);
        var ids = new long[100];
        var distances = new float[100];
        index.Search(bytes.AsSpan(0, dimension).ToArray().Select(b => (float)b).ToArray(), 100, ids, distances);
        ids.Should().OnlyContain(id => id >= 0 && id < 100);
    }

    [Theory]
    [InlineData(37, 1_125, false)]
    [InlineData(3_072, 1_100, false)]
    [InlineData(35, 1_200, true)]      // the rows read part way: a part panel laid out, then whole panels again
    public void RowsStagedAsWholePanels_AreLaidOutAsRowByRow_ByteForByte(int dimension, int rowCount, bool readPartWay)
    {
        var random = new Random(dimension);
        var rows = new byte[rowCount * dimension];
        random.NextBytes(rows);
        long chunkBytes = 7 * ((dimension + 1L) / 2) * 32;   // 7 panels a chunk: panels cross chunks
        var staged = new BytePanelScanBuilder(dimension, cosine: false, expectedRows: rowCount, chunkBytes);
        var rowByRow = new BytePanelScanBuilder(dimension, cosine: false, expectedRows: 10, chunkBytes);
        BytePanelScanBuilder.StagingRows.Should().BeLessThanOrEqualTo(rowCount, "the first builder stages whole panels");
        for (int r = 0; r < rowCount; r++)
        {
            staged.Append(rows.AsSpan(r * dimension, dimension));
            rowByRow.Append(rows.AsSpan(r * dimension, dimension));
            if (readPartWay && r == 500)
            {
                staged.Panels.Count.Should().Be(501, "reading the rows lays out the staged ones");
            }
        }

        var a = staged.Build();
        var b = rowByRow.Build();
        a.Panels.Count.Should().Be(rowCount);
        for (int panel = 0; panel < (rowCount + 15) / 16; panel++)
        {
            PanelBytes(a.Panels, panel).Should().Equal(PanelBytes(b.Panels, panel), $"panel {panel}");
        }

        var copy = new byte[dimension];
        a.Panels.CopyRow(rowCount - 1, copy);
        copy.Should().Equal(rows.AsSpan((rowCount - 1) * dimension, dimension).ToArray());

        // The norms too: the same exact squared norms, so the same distances.
        var index = new FlatIndex(a, rowCount, dimension, KnnDistance.L2, maxThreads: 1);
        var reference = new FlatIndex(b, rowCount, dimension, KnnDistance.L2, maxThreads: 1);
        var queries = rows.AsSpan(0, 20 * dimension).ToArray().Select(v => (float)v).ToArray();
        var (found, distances) = Search(index, queries, 5);
        var (expectedFound, expectedDistances) = Search(reference, queries, 5);
        found.Should().Equal(expectedFound);
        distances.Should().Equal(expectedDistances);
    }

    private static unsafe byte[] PanelBytes(BytePanels panels, int panel)
        => new ReadOnlySpan<byte>(panels.Panel(panel), checked((int)panels.PanelBytes)).ToArray();

    private static FlatIndex BuildBytes(float[] rows, int dimension, KnnDistance distance)
    {
        var builder = new FlatIndexBuilder(dimension, distance, rows.Length / dimension);
        for (int r = 0; r < rows.Length / dimension; r++)
        {
            builder.Append(rows.AsSpan(r * dimension, dimension));
        }

        return builder.Build();
    }

    /// <summary>The float GEMM panels the rows were held in before byte panels.</summary>
    private static FlatIndex BuildFloats(float[] rows, int dimension, KnnDistance distance)
    {
        var builder = new GemmScanBuilder(dimension, distance == KnnDistance.Cosine, rows.Length / dimension);
        for (int r = 0; r < rows.Length / dimension; r++)
        {
            builder.Append(rows.AsSpan(r * dimension, dimension));
        }

        return new FlatIndex(builder.Build(), rows.Length / dimension, dimension, distance, maxThreads: 0);
    }

    private static (int[] Rows, float[] Distances) Search(FlatIndex index, float[] queries, int k)
    {
        int n = queries.Length / index.Dimension;
        var distances = new float[n * k];
        var rows = new int[n * k];
        index.Search(queries, k, distances, rows);
        return (rows, distances);
    }

    private static (double Dot, double QueryNorm, double RowNorm) Int64Dot(ReadOnlySpan<float> query, ReadOnlySpan<float> row)
    {
        long dot = 0, qq = 0, rr = 0;
        for (int i = 0; i < query.Length; i++)
        {
            long q = (long)query[i], r = (long)row[i];
            dot += q * r;
            qq += q * q;
            rr += r * r;
        }

        return (dot, qq, rr);
    }
}
