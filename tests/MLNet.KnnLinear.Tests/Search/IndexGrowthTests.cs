using Microsoft.ML;
using MLNet.KnnLinear.Benchmarks;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Search;

/// <summary>
/// Indexes that grow (faiss' train / add / add_with_ids / remove_ids): an index created empty and filled in batches
/// equals one built at once; adding the last 10 % to an approximate index keeps its recall; removed ids never come
/// back and the rest are found as before; ids of the user's are returned and removed; bad calls fail naming what is
/// wrong.
/// </summary>
public sealed class IndexGrowthTests
{
    private const int Dimension = 16;

    public static TheoryData<KnnDistance> Distances => new() { KnnDistance.L2, KnnDistance.L1, KnnDistance.Cosine };

    [Theory]
    [MemberData(nameof(Distances))]
    public void Exact_CreateThenAddInBatches_EqualsBuild(KnnDistance distance)
    {
        var rows = IvfIndexTests.Clustered(900, Dimension, centers: 9, seed: 1);
        var queries = IvfIndexTests.Clustered(50, Dimension, centers: 9, seed: 2);
        var built = NeighborIndex.Build(rows, Dimension, distance);
        var grown = NeighborIndex.Create(Dimension, distance);
        grown.IsTrained.Should().BeTrue("an exact index learns nothing");
        grown.Add(rows.AsSpan(0, 300 * Dimension));
        Search(grown, queries, 5);   // a search between additions lays the rows out; the next add must still count
        grown.Add(rows.AsSpan(300 * Dimension, 500 * Dimension));
        grown.Add(rows.AsSpan(800 * Dimension));

        grown.Count.Should().Be(900);
        Search(grown, queries, 10).Should().BeEquivalentTo(Search(built, queries, 10), o => o.WithStrictOrdering());
    }

    [Theory]
    [MemberData(nameof(Distances))]
    public void Ivf_TrainThenAddInBatches_EqualsBuild(KnnDistance distance)
    {
        var rows = IvfIndexTests.Clustered(1200, Dimension, centers: 12, seed: 3);
        var queries = IvfIndexTests.Clustered(60, Dimension, centers: 12, seed: 4);
        var options = new IvfIndexOptions { NumberOfLists = 12, NumberOfProbes = 3, Seed = 5 };
        var built = NeighborIndex.Build(rows, Dimension, distance, options);
        var grown = NeighborIndex.Create(Dimension, distance, options);
        grown.IsTrained.Should().BeFalse();
        FluentActions.Invoking(() => grown.Add(rows)).Should().Throw<InvalidOperationException>().WithMessage("*Train*");

        grown.Train(rows);   // the same sample k-means drew from in Build: the same centroids
        grown.IsTrained.Should().BeTrue();
        grown.Count.Should().Be(0, "training adds no rows");
        grown.Add(rows.AsSpan(0, 700 * Dimension));
        grown.Add(rows.AsSpan(700 * Dimension));

        Search(grown, queries, 10).Should().BeEquivalentTo(Search(built, queries, 10), o => o.WithStrictOrdering());
        FluentActions.Invoking(() => grown.Train(rows)).Should().Throw<InvalidOperationException>().WithMessage("*trained already*");
    }

    [Fact]
    public void Hnsw_CreateThenAddAll_EqualsBuild()
    {
        var rows = IvfIndexTests.Clustered(800, Dimension, centers: 8, seed: 6);
        var queries = IvfIndexTests.Clustered(40, Dimension, centers: 8, seed: 7);
        var options = new HnswIndexOptions { MaxConnections = 8, ConstructionSearchSize = 32, SearchSize = 32 };
        var built = NeighborIndex.Build(rows, Dimension, KnnDistance.L2, options);
        var grown = NeighborIndex.Create(Dimension, KnnDistance.L2, options);
        Search(grown, queries, 3).Ids.Should().OnlyContain(id => id == -1, "an empty graph finds nothing");
        grown.Add(rows);

        Search(grown, queries, 10).Should().BeEquivalentTo(Search(built, queries, 10), o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData("ivf")]
    [InlineData("hnsw")]
    [InlineData("ivf-sq8")]
    [InlineData("ivf-pq")]
    public void Approximate_BuildOn90PercentThenAdd10_KeepsRecallWithin001(string kind)
    {
        var rows = IvfIndexTests.Clustered(6000, 32, centers: 60, seed: 8);
        var queries = IvfIndexTests.Clustered(200, 32, centers: 60, seed: 9);
        NeighborIndexOptions options = kind switch
        {
            "hnsw" => new HnswIndexOptions { MaxConnections = 12, ConstructionSearchSize = 48, SearchSize = 24 },
            "ivf-sq8" => new IvfIndexOptions { NumberOfLists = 64, NumberOfProbes = 4, Encoding = new ScalarQuantizerEncoding() },
            "ivf-pq" => new IvfIndexOptions { NumberOfLists = 64, NumberOfProbes = 4, Encoding = new ProductQuantizerEncoding { Subquantizers = 16 } },
            _ => new IvfIndexOptions { NumberOfLists = 64, NumberOfProbes = 4 },
        };
        var truth = Search(NeighborIndex.Build(rows, 32, KnnDistance.L2), queries, 10).Ids;
        var whole = NeighborIndex.Build(rows, 32, KnnDistance.L2, options);
        var grown = NeighborIndex.Build(rows.AsSpan(0, 5400 * 32), 32, KnnDistance.L2, options);
        grown.Add(rows.AsSpan(5400 * 32));

        double wholeRecall = RecallAtK.Of(truth, Search(whole, queries, 10).Ids, 10);
        double grownRecall = RecallAtK.Of(truth, Search(grown, queries, 10).Ids, 10);
        grownRecall.Should().BeGreaterThanOrEqualTo(wholeRecall - 0.01, $"one build {wholeRecall:F3}, 90 % then 10 % added {grownRecall:F3}");
        wholeRecall.Should().BeGreaterThan(0.8, "the options are not degenerate");
    }

    [Theory]
    [InlineData("exact")]
    [InlineData("ivf")]
    [InlineData("hnsw")]
    [InlineData("exact-sq8")]
    [InlineData("ivf-sq8")]
    [InlineData("hnsw-sq8")]
    [InlineData("exact-pq")]
    [InlineData("ivf-pq")]
    public void Remove10Percent_NeverReturnsThem_AndKeepsRecallOnTheRest(string kind)
    {
        var rows = IvfIndexTests.Clustered(4000, 32, centers: 40, seed: 10);
        var queries = IvfIndexTests.Clustered(200, 32, centers: 40, seed: 11);
        NeighborIndexOptions options = kind switch
        {
            "ivf" => new IvfIndexOptions { NumberOfLists = 40, NumberOfProbes = 4 },
            "hnsw" => new HnswIndexOptions { MaxConnections = 12, ConstructionSearchSize = 48, SearchSize = 32 },
            "exact-sq8" => new ExactIndexOptions { Encoding = new ScalarQuantizerEncoding() },
            "ivf-sq8" => new IvfIndexOptions { NumberOfLists = 40, NumberOfProbes = 4, Encoding = new ScalarQuantizerEncoding() },
            "hnsw-sq8" => new HnswIndexOptions { MaxConnections = 12, ConstructionSearchSize = 48, SearchSize = 32, Encoding = new ScalarQuantizerEncoding() },
            "exact-pq" => new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = 16 } },
            "ivf-pq" => new IvfIndexOptions { NumberOfLists = 40, NumberOfProbes = 4, Encoding = new ProductQuantizerEncoding { Subquantizers = 16 } },
            _ => new ExactIndexOptions(),
        };
        var index = NeighborIndex.Build(rows, 32, KnnDistance.L2, options);
        double before = RecallAtK.Of(Search(NeighborIndex.Build(rows, 32, KnnDistance.L2), queries, 10).Ids, Search(index, queries, 10).Ids, 10);

        var removed = Enumerable.Range(0, 4000).Where(i => i % 10 == 3).Select(i => (long)i).ToArray();
        index.Remove(removed).Should().Be(400);
        index.Remove(removed).Should().Be(0, "removing again removes nothing");
        index.Remove([-5, 4000, 123456]).Should().Be(0, "ids not in the index are ignored");
        index.Count.Should().Be(3600);

        // The truth on the rest: an exact index of the remaining rows, its row numbers mapped back to ids.
        var kept = Enumerable.Range(0, 4000).Where(i => i % 10 != 3).ToArray();
        var keptRows = kept.SelectMany(i => rows.AsSpan(i * 32, 32).ToArray()).ToArray();
        var truth = Search(NeighborIndex.Build(keptRows, 32, KnnDistance.L2), queries, 10).Ids.Select(r => r < 0 ? -1 : (long)kept[r]).ToArray();
        var (found, distances) = Search(index, queries, 10);

        found.Should().NotContain(removed, "a removed id is never returned");
        double after = RecallAtK.Of(truth, found, 10);
        after.Should().BeGreaterThanOrEqualTo(before - 0.01, $"recall before removal {before:F3}, on the rest after {after:F3}");
        if (kind == "exact")
        {
            found.Should().Equal(truth, "exact search over the rest");
            distances.Should().OnlyContain(d => float.IsFinite(d));
        }
    }

    [Theory]
    [InlineData("exact")]
    [InlineData("ivf")]
    [InlineData("hnsw")]
    [InlineData("exact-sq8")]
    [InlineData("ivf-sq8")]
    [InlineData("hnsw-sq8")]
    [InlineData("exact-pq")]
    [InlineData("ivf-pq")]
    public void UserIds_AreReturned_AndRemoved(string kind)
    {
        var rows = IvfIndexTests.Clustered(500, Dimension, centers: 5, seed: 12);
        var queries = IvfIndexTests.Clustered(20, Dimension, centers: 5, seed: 13);
        NeighborIndexOptions options = kind switch
        {
            "ivf" => new IvfIndexOptions { NumberOfLists = 5, NumberOfProbes = 5 },
            "hnsw" => new HnswIndexOptions { MaxConnections = 8, ConstructionSearchSize = 500, SearchSize = 500 },
            "exact-sq8" => new ExactIndexOptions { Encoding = new ScalarQuantizerEncoding() },
            "ivf-sq8" => new IvfIndexOptions { NumberOfLists = 5, NumberOfProbes = 5, Encoding = new ScalarQuantizerEncoding() },
            "hnsw-sq8" => new HnswIndexOptions { MaxConnections = 8, ConstructionSearchSize = 500, SearchSize = 500, Encoding = new ScalarQuantizerEncoding() },
            "exact-pq" => new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = 4 } },
            "ivf-pq" => new IvfIndexOptions { NumberOfLists = 5, NumberOfProbes = 5, Encoding = new ProductQuantizerEncoding { Subquantizers = 4 } },
            _ => new ExactIndexOptions(),
        };
        long[] ids = Enumerable.Range(0, 500).Select(i => 1_000_000_000_000L + (7L * i)).ToArray();
        var index = NeighborIndex.Create(Dimension, KnnDistance.L2, options);
        index.Train(rows);
        index.Add(rows.AsSpan(0, 200 * Dimension), ids.AsSpan(0, 200));
        index.Add(rows.AsSpan(200 * Dimension), ids.AsSpan(200));
        // Codes: the same kind built from the same rows (the same ranges, so the same codes) is the reference.
        var reference = kind.EndsWith("sq8", StringComparison.Ordinal) || kind.EndsWith("pq", StringComparison.Ordinal) ? NeighborIndex.Build(rows, Dimension, KnnDistance.L2, options) : NeighborIndex.Build(rows, Dimension, KnnDistance.L2);
        var byRow = Search(reference, queries, 5);

        var (found, _) = Search(index, queries, 5);
        found.Should().Equal(byRow.Ids.Select(r => ids[r]), "every list probed / efSearch over every row: the exact neighbours (of the codes), by the user's ids");

        index.Remove([ids[(int)byRow.Ids[0]]]).Should().Be(1);
        Search(index, queries, 5).Ids.Should().NotContain(ids[(int)byRow.Ids[0]]);

        FluentActions.Invoking(() => index.Add(rows.AsSpan(0, Dimension))).Should().Throw<InvalidOperationException>().WithMessage("*Add(rows, ids)*");
        FluentActions.Invoking(() => index.Add(rows.AsSpan(0, Dimension), [ids[3]])).Should().Throw<ArgumentException>().WithParameterName("ids");
        FluentActions.Invoking(() => index.Add(rows.AsSpan(0, 2 * Dimension), [1, 1])).Should().Throw<ArgumentException>().WithParameterName("ids");
        FluentActions.Invoking(() => index.Add(rows.AsSpan(0, Dimension), [-1])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ids");
        FluentActions.Invoking(() => index.Add(rows.AsSpan(0, 2 * Dimension), [5])).Should().Throw<ArgumentException>().WithParameterName("ids");
        index.Count.Should().Be(499, "failed adds add nothing");
    }

    [Fact]
    public void Add_BadCalls_FailNamingWhatIsWrong()
    {
        var rows = IvfIndexTests.Clustered(20, Dimension, centers: 2, seed: 14);
        var sequential = NeighborIndex.Build(rows, Dimension, KnnDistance.L2);
        FluentActions.Invoking(() => sequential.Add(rows.AsSpan(0, Dimension), [99])).Should().Throw<InvalidOperationException>().WithMessage("*without ids*");
        FluentActions.Invoking(() => sequential.Add(rows.AsSpan(0, Dimension + 1))).Should().Throw<ArgumentException>().WithParameterName("rows");
        var bad = rows.AsSpan(0, Dimension).ToArray();
        bad[3] = float.NaN;
        FluentActions.Invoking(() => sequential.Add(bad)).Should().Throw<ArgumentException>().WithMessage("*NaN*");
        FluentActions.Invoking(() => NeighborIndex.Create(0, KnnDistance.L2)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => NeighborIndex.Create(4, KnnDistance.L2, new IvfIndexOptions { NumberOfProbes = 0 })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("NumberOfProbes");
        sequential.Count.Should().Be(20);

        // A fitted model's index is read-only.
        var ml = new MLContext(seed: 1);
        var model = ml.MulticlassClassification.Trainers.Knn().Fit(SyntheticData.Keyed(ml, SyntheticData.Rows(40, 4, seed: 1), 4));
        FluentActions.Invoking(() => model.Model.Index.Add(new float[4])).Should().Throw<InvalidOperationException>().WithMessage("*read-only*");
        FluentActions.Invoking(() => model.Model.Index.Remove([0])).Should().Throw<InvalidOperationException>().WithMessage("*read-only*");
    }

    [Theory]
    [MemberData(nameof(Distances))]
    public void Bytes_AddAndSearch_AsTheirFloats(KnnDistance distance)
    {
        var random = new Random(15);
        var bytes = new byte[300 * 48];
        random.NextBytes(bytes);
        var floats = bytes.Select(b => (float)b).ToArray();
        var queryBytes = bytes.AsSpan(0, 10 * 48).ToArray();
        var fromBytes = NeighborIndex.Create(48, distance);
        fromBytes.Add(bytes);
        var fromFloats = NeighborIndex.Create(48, distance);
        fromFloats.Add(floats);

        var (ids, distances) = (new long[10 * 4], new float[10 * 4]);
        fromBytes.Search(queryBytes, 4, ids, distances);
        (ids, distances).Should().BeEquivalentTo(Search(fromFloats, floats.AsSpan(0, 10 * 48).ToArray(), 4), o => o.WithStrictOrdering());
        ids.Where((_, i) => i % 4 == 0).Should().Equal(Enumerable.Range(0, 10).Select(i => (long)i), "each query is a row: itself first");
    }

    [Fact]
    public void Ivf_FewerRowsThanLists_SavesAndLoads_EmptyAndBadCallsFailClearly()
    {
        var rows = IvfIndexTests.Clustered(2000, Dimension, centers: 8, seed: 16);
        var index = NeighborIndex.Create(Dimension, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 64, NumberOfProbes = 64 });
        FluentActions.Invoking(() => index.Train(ReadOnlySpan<float>.Empty)).Should().Throw<ArgumentException>().WithParameterName("sample");
        index.Train(rows);
        FluentActions.Invoking(() => index.SaveFaiss(new MemoryStream())).Should().Throw<InvalidOperationException>().WithMessage("*no rows*");
        index.Add(rows.AsSpan(0, 20 * Dimension));

        // 20 rows in 64 lists: a grown inverted file holds fewer rows than lists, and its faiss file must load.
        var file = new MemoryStream();
        index.SaveFaiss(file);
        file.Position = 0;
        var loaded = NeighborIndex.LoadFaiss(file);
        loaded.Count.Should().Be(20);
        Search(loaded, rows.AsSpan(0, 5 * Dimension).ToArray(), 3).Should().BeEquivalentTo(Search(index, rows.AsSpan(0, 5 * Dimension).ToArray(), 3), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Search_KAboveTheRowsHeld_FillsWithMinusOne()
    {
        var index = NeighborIndex.Create(2, KnnDistance.L1);
        index.Add([0, 0, 3, 4]);
        var (ids, distances) = Search(index, [0f, 1f], 4);
        ids.Should().Equal(0, 1, -1, -1);
        distances.Should().Equal(1f, 6f, float.PositiveInfinity, float.PositiveInfinity);
    }

    private static (long[] Ids, float[] Distances) Search(NeighborIndex index, float[] queries, int k)
    {
        int n = queries.Length / index.Dimension;
        var ids = new long[n * k];
        var distances = new float[n * k];
        index.Search(queries, k, ids, distances);
        return (ids, distances);
    }
}
