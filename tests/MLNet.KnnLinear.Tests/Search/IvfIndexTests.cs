using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Search;

/// <summary>
/// The inverted-file index against the exact one: probing every list is exact, a few probes keep a stated recall
/// on clustered data, the build is deterministic whatever the thread count, and bad input names the option.
/// </summary>
public sealed class IvfIndexTests
{
    [Theory]
    [InlineData(KnnDistance.L2)]
    [InlineData(KnnDistance.L1)]
    [InlineData(KnnDistance.Cosine)]
    public void Ivf_ProbingEveryList_EqualsExact(KnnDistance distance)
    {
        const int dimension = 24;
        var rows = Clustered(1500, dimension, centers: 12, seed: 1);
        var queries = Clustered(60, dimension, centers: 12, seed: 2);
        var exact = NeighborIndex.Build(rows, dimension, distance);
        var ivf = NeighborIndex.Build(rows, dimension, distance, new IvfIndexOptions { NumberOfLists = 16, NumberOfProbes = 16 });

        var (exactRows, exactDistances) = Search(exact, queries, 10);
        var (ivfRows, ivfDistances) = Search(ivf, queries, 10);

        ivfRows.Should().Equal(exactRows, "every list probed compares every row, and ties go to the lower row number in both");
        ivfDistances.Should().Equal(exactDistances);
    }

    [Fact]
    public void Ivf_FewProbes_RecallAtLeastFloor_AndGrowsWithProbes()
    {
        const int dimension = 32;
        var rows = Clustered(6000, dimension, centers: 60, seed: 3);
        var queries = Clustered(200, dimension, centers: 60, seed: 4);
        var (truth, _) = Search(NeighborIndex.Build(rows, dimension, KnnDistance.L2), queries, 10);
        var ivf = NeighborIndex.Build(rows, dimension, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 64, NumberOfProbes = 4 });

        double previous = 0;
        foreach (int probes in new[] { 1, 4, 16, 64 })
        {
            ivf.SetSearchSize(probes);
            var (found, _) = Search(ivf, queries, 10);
            double recall = Recall(truth, found, 10);
            recall.Should().BeGreaterThanOrEqualTo(previous, "more probes never find less");
            previous = recall;
            if (probes == 4)
            {
                recall.Should().BeGreaterThanOrEqualTo(0.90, "4 of 64 lists on 60 well-separated clusters");
            }
        }

        previous.Should().Be(1.0, "every list probed is exact");
    }

    [Fact]
    public void Ivf_Build_IsDeterministic_WhateverTheThreadCount()
    {
        const int dimension = 16;
        var rows = Clustered(3000, dimension, centers: 30, seed: 5);
        var queries = Clustered(50, dimension, centers: 30, seed: 6);
        var options = new IvfIndexOptions { NumberOfLists = 40, NumberOfProbes = 3, Seed = 7 };
        var one = NeighborIndex.Build(rows, dimension, KnnDistance.L2, options, maxThreads: 1);
        var all = NeighborIndex.Build(rows, dimension, KnnDistance.L2, options, maxThreads: 0);
        var again = NeighborIndex.Build(rows, dimension, KnnDistance.L2, options, maxThreads: 0);

        one.Ivf!.Centroids.ToArray().Should().Equal(all.Ivf!.Centroids.ToArray());
        all.Ivf.Centroids.ToArray().Should().Equal(again.Ivf!.Centroids.ToArray());
        Search(one, queries, 5).Rows.Should().Equal(Search(all, queries, 5).Rows);
        var other = NeighborIndex.Build(rows, dimension, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 40, NumberOfProbes = 3, Seed = 8 });
        other.Ivf!.Centroids.ToArray().Should().NotEqual(all.Ivf.Centroids.ToArray(), "the seed picks the k-means start");
    }

    [Fact]
    public void Ivf_ProbedListsHoldFewerThanK_FillsMinusOneAndInfinity()
    {
        // Two far-apart groups of 3 rows, two lists, one probe: a query near one group finds only its 3 rows.
        float[] rows = [0, 0, 1, 0, 0, 1, 100, 100, 101, 100, 100, 101];
        var ivf = NeighborIndex.Build(rows, 2, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 2, NumberOfProbes = 1 });
        var found = new int[5];
        var distances = new float[5];

        ivf.Search([0.1f, 0.1f], 5, found, distances);

        found.Take(3).Should().BeEquivalentTo([0, 1, 2]);
        found.Skip(3).Should().Equal(-1, -1);
        distances.Skip(3).Should().OnlyContain(d => float.IsPositiveInfinity(d));
    }

    [Fact]
    public void BadInput_NamesTheOption()
    {
        var rows = Clustered(100, 4, centers: 4, seed: 9);
        FluentActions.Invoking(() => NeighborIndex.Build(rows, 4, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 101 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("NumberOfLists").WithMessage("*between 1 and the number of rows (100)*");
        FluentActions.Invoking(() => NeighborIndex.Build(rows, 4, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 8, NumberOfProbes = 9 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("NumberOfProbes");
        FluentActions.Invoking(() => NeighborIndex.Build(rows, 3, KnnDistance.L2))
            .Should().Throw<ArgumentException>().WithParameterName("rows").WithMessage("*not a positive multiple of the dimension 3*");
        var nan = rows.ToArray();
        nan[17] = float.NaN;
        FluentActions.Invoking(() => NeighborIndex.Build(nan, 4, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 4 }))
            .Should().Throw<ArgumentException>().WithMessage("*NaN*");
        var exact = NeighborIndex.Build(rows, 4, KnnDistance.L1);
        FluentActions.Invoking(() => exact.SetSearchSize(4)).Should().Throw<InvalidOperationException>().WithMessage("*exact*");
        var ivf = NeighborIndex.Build(rows, 4, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 8, NumberOfProbes = 2 });
        FluentActions.Invoking(() => ivf.SetSearchSize(9)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("probesOrEf");
        FluentActions.Invoking(() => ivf.Search(new float[5], 1, new int[1], new float[1])).Should().Throw<ArgumentException>().WithParameterName("queries");
        FluentActions.Invoking(() => ivf.Search(new float[4], 0, new int[1], new float[1])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("k");
        FluentActions.Invoking(() => ivf.Search(new float[8], 3, new int[5], new float[6])).Should().Throw<ArgumentException>().WithParameterName("rows");
    }

    /// <summary>Whole-number rows around <paramref name="centers"/> random centres (spread ±6 around centres in 0..200).</summary>
    internal static float[] Clustered(int count, int dimension, int centers, int seed)
    {
        var centerRandom = new Random(12345);
        var centres = Enumerable.Range(0, centers).Select(_ => Enumerable.Range(0, dimension).Select(_ => centerRandom.Next(200)).ToArray()).ToArray();
        var random = new Random(seed);
        var rows = new float[count * dimension];
        for (int r = 0; r < count; r++)
        {
            var centre = centres[random.Next(centers)];
            for (int j = 0; j < dimension; j++)
            {
                rows[(r * dimension) + j] = centre[j] + random.Next(-6, 7);
            }
        }

        return rows;
    }

    internal static (int[] Rows, float[] Distances) Search(NeighborIndex index, float[] queries, int k)
    {
        int n = queries.Length / index.Dimension;
        var rows = new int[n * k];
        var distances = new float[n * k];
        index.Search(queries, k, rows, distances);
        return (rows, distances);
    }

    internal static double Recall(int[] truth, int[] found, int k)
    {
        int hits = 0;
        for (int q = 0; q < truth.Length / k; q++)
        {
            var expected = truth.AsSpan(q * k, k).ToArray().ToHashSet();
            hits += found.AsSpan(q * k, k).ToArray().Count(expected.Contains);
        }

        return (double)hits / truth.Length;
    }
}
