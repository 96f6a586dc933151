namespace MLNet.KnnLinear.Tests.Search;

/// <summary>
/// The HNSW graph against exact search: recall at or above a stated floor on clustered data, growing with efSearch;
/// the build is deterministic whatever the thread count; bad options name the option.
/// </summary>
public sealed class HnswIndexTests
{
    [Theory]
    [InlineData(KnnDistance.L2)]
    [InlineData(KnnDistance.L1)]
    [InlineData(KnnDistance.Cosine)]
    public void Hnsw_RecallAtLeastFloor_AndGrowsWithSearchSize(KnnDistance distance)
    {
        const int dimension = 32;
        var rows = IvfIndexTests.Clustered(5000, dimension, centers: 50, seed: 3);
        var queries = IvfIndexTests.Clustered(200, dimension, centers: 50, seed: 4);
        var (truth, _) = IvfIndexTests.Search(NeighborIndex.Build(rows, dimension, distance), queries, 10);
        var hnsw = NeighborIndex.Build(rows, dimension, distance, new HnswIndexOptions { MaxConnections = 16, ConstructionSearchSize = 64, SearchSize = 16 });

        double previous = 0;
        foreach (int ef in new[] { 10, 32, 128 })
        {
            hnsw.SetSearchSize(ef);
            double recall = IvfIndexTests.Recall(truth, IvfIndexTests.Search(hnsw, queries, 10).Rows, 10);
            recall.Should().BeGreaterThanOrEqualTo(previous - 0.005, "a larger efSearch finds at least about as much");
            previous = recall;
        }

        previous.Should().BeGreaterThanOrEqualTo(0.95, $"efSearch 128 on 5,000 clustered rows ({distance})");
    }

    [Fact]
    public void Hnsw_Build_IsDeterministic_WhateverTheThreadCount()
    {
        const int dimension = 16;
        var rows = IvfIndexTests.Clustered(3000, dimension, centers: 30, seed: 5);
        var options = new HnswIndexOptions { MaxConnections = 8, ConstructionSearchSize = 32, Seed = 3 };
        var one = NeighborIndex.Build(rows, dimension, KnnDistance.L2, options, maxThreads: 1);
        var all = NeighborIndex.Build(rows, dimension, KnnDistance.L2, options, maxThreads: 0);

        one.Hnsw!.Links.ToArray().Should().Equal(all.Hnsw!.Links.ToArray(), "batches search the graph as it stood before them, whatever the thread split");
        one.Hnsw.Levels.ToArray().Should().Equal(all.Hnsw.Levels.ToArray());
        one.Hnsw.Entry.Should().Be(all.Hnsw.Entry);
        var queries = IvfIndexTests.Clustered(40, dimension, centers: 30, seed: 6);
        IvfIndexTests.Search(one, queries, 5).Rows.Should().Equal(IvfIndexTests.Search(all, queries, 5).Rows);
    }

    [Fact]
    public void BadOptions_NameTheOption()
    {
        var rows = IvfIndexTests.Clustered(100, 4, centers: 4, seed: 9);
        FluentActions.Invoking(() => NeighborIndex.Build(rows, 4, KnnDistance.L2, new HnswIndexOptions { MaxConnections = 1 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MaxConnections");
        FluentActions.Invoking(() => NeighborIndex.Build(rows, 4, KnnDistance.L2, new HnswIndexOptions { ConstructionSearchSize = 0 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ConstructionSearchSize");
        FluentActions.Invoking(() => NeighborIndex.Build(rows, 4, KnnDistance.L2, new HnswIndexOptions { SearchSize = 0 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("SearchSize");
        var hnsw = NeighborIndex.Build(rows, 4, KnnDistance.L2, new HnswIndexOptions { MaxConnections = 4 });
        FluentActions.Invoking(() => hnsw.SetSearchSize(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("probesOrEf");
        FluentActions.Invoking(() => NeighborIndex.Build(rows, 4, KnnDistance.L1, new HnswIndexOptions { MaxConnections = 4 }).SaveFaiss(Path.GetTempFileName()))
            .Should().Throw<NotSupportedException>().WithMessage("*L1 HNSW*");
    }

    [Fact]
    public void Hnsw_SingleRowAndTinyData_Work()
    {
        var one = NeighborIndex.Build([1f, 2f], 2, KnnDistance.L2, new HnswIndexOptions { MaxConnections = 2 });
        var (rows, distances) = IvfIndexTests.Search(one, [1f, 2f], 1);
        rows.Should().Equal(0);
        distances.Should().Equal(0f);

        var few = NeighborIndex.Build([0f, 0f, 1f, 0f, 0f, 1f, 5f, 5f], 2, KnnDistance.L2, new HnswIndexOptions { MaxConnections = 2 });
        IvfIndexTests.Search(few, [0.1f, 0.1f], 4).Rows.Should().Equal(0, 1, 2, 3);
    }
}
