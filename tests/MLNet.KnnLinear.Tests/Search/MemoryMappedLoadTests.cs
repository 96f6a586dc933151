using MLNet.KnnLinear.Search;
using MLNet.KnnLinear.Search.Quantization;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Search;

/// <summary>
/// LoadFaiss(path, memoryMapped: true): an exact index of product codes and a re-ranked index search the file where it
/// lies (its codes and rows are the file's pages: changing the file changes what is found), return what a read index
/// returns, allocate a small part of what they map, take no rows, and refuse damaged files as reading does. Kinds whose
/// search layout differs from the file's are read into memory and search the same.
/// </summary>
[Collection(MLNet.KnnLinear.Tests.Pipeline.ProcessThreadsCollection.Name)] // counts allocation on every thread: run alone
public sealed class MemoryMappedLoadTests
{
    private const int D = 32;
    private const int M = 16;

    [Fact]
    public void ProductCodes_AreSearchedInTheFile_AsTheReadIndexSearchesThem()
    {
        var (rows, queries) = Data(200_000, 20, seed: 1);
        var codes = new ProductQuantizedIndex(D, KnnDistance.L2, RandomQuantizer(2), maxThreads: 0);
        codes.Add(rows);
        string path = Save(new NeighborIndex(codes, new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = M } }, maxThreads: 0));

        var read = NeighborIndex.LoadFaiss(path);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var mapped = NeighborIndex.LoadFaiss(path, memoryMapped: true);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        mapped.IsMemoryMapped.Should().BeTrue();
        read.IsMemoryMapped.Should().BeFalse();
        allocated.Should().BeLessThan(200_000L * M / 8, $"the {200_000L * M:N0} bytes of codes stay in the file (allocated on every thread: {allocated:N0} bytes)");
        Search(mapped, queries).Should().BeEquivalentTo(Search(read, queries), o => o.WithStrictOrdering());

        // The codes are the file's pages: every code rewritten to 0 in the file is what the mapped index now finds.
        long codesStart = new FileInfo(path).Length - 9 - (200_000L * M);   // before the search settings (9 bytes)
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            file.Position = codesStart;
            file.Write(new byte[200_000 * M]);
        }

        var (ids, distances) = Search(mapped, queries);
        ids.Take(10).Should().Equal(Enumerable.Range(0, 10).Select(i => (long)i), "every row now decodes to the same centroids: ties, by row number");
        distances.Distinct().Count().Should().Be(20, "one distance per query: every row is the same decoded row");
        Search(read, queries).Ids.Should().NotEqual(ids, "the read index holds its own copy of the codes");
    }

    [Theory]
    [InlineData(KnnDistance.L2)]
    [InlineData(KnnDistance.Cosine)]
    public void ReRankedIndexes_ReadTheCandidatesRowsFromTheFile(KnnDistance distance)
    {
        var (rows, queries) = Data(50_000, 20, seed: 3);
        var options = new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = M }, RefineFactor = 8 };
        var codes = new ProductQuantizedIndex(D, distance, RandomQuantizer(4), maxThreads: 0);
        codes.Add(rows);
        var full = new FlatIndex(D, distance);
        full.Add(rows);
        string path = Save(new NeighborIndex(new RefinedIndex(codes, full, 8, maxThreads: 0), options, maxThreads: 0));

        var read = NeighborIndex.LoadFaiss(path);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var mapped = NeighborIndex.LoadFaiss(path, memoryMapped: true);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        mapped.Refined!.Rows.Should().BeOfType<MappedRowsIndex>("the rows are read where they lie in the file");
        read.Refined!.Rows.Should().BeOfType<FlatIndex>();
        allocated.Should().BeLessThan(50_000L * D * 4 / 8, $"the {50_000L * D * 4:N0} bytes of rows stay in the file (allocated on every thread: {allocated:N0} bytes)");
        var expected = Search(read, queries);
        var found = Search(mapped, queries);
        found.Ids.Should().Equal(expected.Ids);
        found.Distances.Should().Equal(expected.Distances, "the same rows (unit length for cosine, as written) give the same exact distances");
        mapped.SizeInBytes.Should().BeGreaterThan(50_000L * D * 4, "the mapped rows count in the index's size");
    }

    [Fact]
    public void AMappedIndex_TakesNoRows_RemovesThem_AndKindsNotMappedAreRead()
    {
        var (rows, queries) = Data(3_000, 10, seed: 5);
        var options = new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = M }, RefineFactor = 4 };
        string path = Save(NeighborIndex.Build(rows, D, KnnDistance.L2, options));
        var mapped = NeighborIndex.LoadFaiss(path, memoryMapped: true);
        FluentActions.Invoking(() => mapped.Add(rows.AsSpan(0, D))).Should().Throw<InvalidOperationException>().WithMessage("*memoryMapped*");
        mapped.Count.Should().Be(3_000, "a refused add leaves the index as it was");
        long first = Search(mapped, queries).Ids[0];
        mapped.Remove([first]).Should().Be(1);
        Search(mapped, queries).Ids.Should().NotContain(first);
        mapped.Count.Should().Be(2_999);

        // An inverted file of product codes: lists read into memory, searched as when read; nothing stays mapped, so
        // the index is an ordinary one and takes rows.
        string ivfPath = Save(NeighborIndex.Build(rows, D, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 8, NumberOfProbes = 3, Encoding = new ProductQuantizerEncoding { Subquantizers = M } }));
        var ivf = NeighborIndex.LoadFaiss(ivfPath, memoryMapped: true);
        ivf.IsMemoryMapped.Should().BeFalse("an inverted file's lists are read into memory");
        Search(ivf, queries).Should().BeEquivalentTo(Search(NeighborIndex.LoadFaiss(ivfPath), queries), o => o.WithStrictOrdering());
        ivf.Add(rows.AsSpan(0, D));
        ivf.Count.Should().Be(3_001);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HnswGraphs_SearchTheirStorageInTheFile(bool codes)
    {
        var (rows, queries) = Data(4_000, 10, seed: 8);
        var options = new HnswIndexOptions { MaxConnections = 8, ConstructionSearchSize = 40, SearchSize = 32, Encoding = codes ? new ScalarQuantizerEncoding() : null };
        string path = Save(NeighborIndex.Build(rows, D, KnnDistance.L2, options));
        var mapped = NeighborIndex.LoadFaiss(path, memoryMapped: true);
        mapped.IsMemoryMapped.Should().BeTrue("the graph's rows or codes are read where they lie in the file");
        (codes ? mapped.Hnsw!.StoredCodes!.IsMapped : mapped.Hnsw!.StoredRows.IsMapped).Should().BeTrue();
        Search(mapped, queries).Should().BeEquivalentTo(Search(NeighborIndex.LoadFaiss(path), queries), o => o.WithStrictOrdering());
        FluentActions.Invoking(() => mapped.Add(rows.AsSpan(0, D))).Should().Throw<InvalidOperationException>().WithMessage("*memoryMapped*");
    }

    [Fact]
    public void DamagedFiles_AreInvalidData_WhenMappedToo()
    {
        var (rows, _) = Data(1_000, 1, seed: 6);
        var codes = new ProductQuantizedIndex(D, KnnDistance.L2, RandomQuantizer(7), maxThreads: 0);
        codes.Add(rows);
        string path = Save(new NeighborIndex(codes, new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = M } }, maxThreads: 0));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);   // cut in the codes
        FluentActions.Invoking(() => NeighborIndex.LoadFaiss(path, memoryMapped: true)).Should().Throw<InvalidDataException>().WithMessage("*codes*bytes are left*");
        File.WriteAllBytes(path, []);
        FluentActions.Invoking(() => NeighborIndex.LoadFaiss(path, memoryMapped: true)).Should().Throw<InvalidDataException>().WithMessage("*empty*");
    }

    private static string Save(NeighborIndex index)
    {
        string path = Path.Combine(RepoPaths.NewTempDirectory(), "index.faiss");
        index.SaveFaiss(path);
        return path;
    }

    private static (long[] Ids, float[] Distances) Search(NeighborIndex index, float[] queries)
    {
        int n = queries.Length / D;
        var ids = new long[n * 10];
        var distances = new float[n * 10];
        index.Search(queries, 10, ids, distances);
        return (ids, distances);
    }

    private static (float[] Rows, float[] Queries) Data(int count, int queries, int seed)
    {
        var random = new Random(seed);
        return ([.. Enumerable.Range(0, count * D).Select(_ => (float)random.NextDouble())], [.. Enumerable.Range(0, queries * D).Select(_ => (float)random.NextDouble())]);
    }

    /// <summary>Random sub-centroids in [0, 1) (rows are random there too): codes without a training run.</summary>
    private static ProductQuantizer RandomQuantizer(int seed)
    {
        var random = new Random(seed);
        return new ProductQuantizer(D, M, [.. Enumerable.Range(0, 256 * D).Select(_ => (float)random.NextDouble())]);
    }
}
