using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Search;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Search;

/// <summary>
/// Re-ranking an encoded index's candidates on the full rows (RefineFactor, faiss' IndexRefineFlat): refining every
/// row is exact search (rows and distances, float and pixel rows, L2 and cosine, every encoded kind); a factor takes
/// ⌊k × factor⌋ of the codes' candidates and ranks exactly those by a brute-force distance in double; it raises recall
/// over the codes alone; growth, ids and removal; the options' checks; kNN models through save and load. The faiss side
/// (IxRF both ways) is in FaissInteropTests.
/// </summary>
public sealed class RefineTests
{
    private const int D = 16;

    public static TheoryData<string, KnnDistance, bool> Kinds()
    {
        var data = new TheoryData<string, KnnDistance, bool>();
        foreach (string kind in new[] { "exact-pq", "ivf-pq", "exact-sq", "ivf-sq" })
        {
            foreach (var distance in new[] { KnnDistance.L2, KnnDistance.Cosine })
            {
                data.Add(kind, distance, false);
                data.Add(kind, distance, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void RefiningEveryRow_IsExactSearch(string kind, KnnDistance distance, bool pixels)
    {
        var (rows, queries) = Data(600, 25, pixels, seed: 3);
        var options = Options(kind, refine: 1000);
        var refined = NeighborIndex.Build(rows, D, distance, options);
        refined.SetSearchSizeIfAny(options);
        var exact = IvfIndexTests.Search(NeighborIndex.Build(rows, D, distance), queries, 5);
        var found = IvfIndexTests.Search(refined, queries, 5);

        // 5 × 1,000 candidates cover all 600 rows (every list probed): the exact ranking of every row.
        found.Rows.Should().Equal(exact.Rows, $"{kind} re-ranked over every row is exact search");
        for (int i = 0; i < found.Distances.Length; i++)
        {
            found.Distances[i].Should().BeApproximately(exact.Distances[i], 1e-5f * Math.Max(1, exact.Distances[i]), $"distance {i} is the exact one, not the codes'");
        }

        refined.SizeInBytes.Should().BeGreaterThan(600L * D * (pixels ? 1 : 4), "the index keeps the full rows beside the codes");
    }

    [Theory]
    [InlineData(KnnDistance.L2, 2.5f)]
    [InlineData(KnnDistance.Cosine, 3f)]
    public void AFactor_ReRanksTheCodesFirstCandidates_ByTheirExactDistance(KnnDistance distance, float factor)
    {
        var (rows, queries) = Data(1200, 30, pixels: false, seed: 4);
        const int k = 4;
        int candidates = (int)Math.Floor(k * factor);
        var codes = NeighborIndex.Build(rows, D, distance, new IvfIndexOptions { NumberOfLists = 8, NumberOfProbes = 2, Encoding = new ProductQuantizerEncoding { Subquantizers = 4 } });
        var refined = NeighborIndex.Build(rows, D, distance, new IvfIndexOptions { NumberOfLists = 8, NumberOfProbes = 2, Encoding = new ProductQuantizerEncoding { Subquantizers = 4 }, RefineFactor = factor });
        var proposed = IvfIndexTests.Search(codes, queries, candidates).Rows;
        var found = IvfIndexTests.Search(refined, queries, k);
        int changed = 0;
        for (int q = 0; q < 30; q++)
        {
            var query = queries.AsSpan(q * D, D).ToArray();
            var expected = proposed.AsSpan(q * candidates, candidates).ToArray()
                .Where(r => r >= 0)
                .Select(r => (Row: r, Distance: BruteForce(query, rows.AsSpan(r * D, D).ToArray(), distance)))
                .OrderBy(c => c.Distance).ThenBy(c => c.Row).Take(k).ToArray();
            found.Rows.AsSpan(q * k, k).ToArray().Should().Equal(expected.Select(c => c.Row), $"query {q}: the {k} nearest of the codes' {candidates} candidates by the full rows");
            for (int j = 0; j < k; j++)
            {
                found.Distances[(q * k) + j].Should().BeApproximately((float)expected[j].Distance, 1e-5f * (float)Math.Max(1, expected[j].Distance));
            }

            changed += proposed.AsSpan(q * candidates, k).SequenceEqual(found.Rows.AsSpan(q * k, k)) ? 0 : 1;
        }

        changed.Should().BeGreaterThan(0, "4 bytes a row of 16 values misorder some neighbours, which the full rows put right");
    }

    [Fact]
    public void Refining_RaisesRecall_OverTheCodesAlone()
    {
        var rows = IvfIndexTests.Clustered(4000, 32, centers: 20, seed: 5).Select(v => v + (0.01f * (v % 7))).ToArray();
        var queries = IvfIndexTests.Clustered(60, 32, centers: 20, seed: 6);
        var truth = IvfIndexTests.Search(NeighborIndex.Build(rows, 32, KnnDistance.L2), queries, 10).Rows;
        var codes = NeighborIndex.Build(rows, 32, KnnDistance.L2, new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = 4 } });
        var refined = NeighborIndex.Build(rows, 32, KnnDistance.L2, new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = 4 }, RefineFactor = 20 });
        double alone = IvfIndexTests.Recall(truth, IvfIndexTests.Search(codes, queries, 10).Rows, 10);
        double reRanked = IvfIndexTests.Recall(truth, IvfIndexTests.Search(refined, queries, 10).Rows, 10);
        reRanked.Should().BeGreaterThan(alone + 0.2, $"200 candidates re-ranked on the rows beat 4-byte codes alone (recall {alone:F3})");
        reRanked.Should().BeGreaterThan(0.9);
    }

    [Theory]
    [InlineData("exact-pq")]
    [InlineData("ivf-pq")]
    [InlineData("exact-sq")]
    [InlineData("hnsw-sq")]
    public void Growth_Ids_AndRemoval_KeepTheRowsAndCodesInStep(string kind)
    {
        var (rows, queries) = Data(900, 20, pixels: true, seed: 7);
        var options = Options(kind, refine: 1000);
        var built = NeighborIndex.Build(rows, D, KnnDistance.L2, options);
        built.SetSearchSizeIfAny(options);

        // Trained on every row, then added in a float batch and a byte batch with ids of the user's.
        var grown = NeighborIndex.Create(D, KnnDistance.L2, options);
        grown.Train(rows);
        grown.SetSearchSizeIfAny(options);
        long[] ids = [.. Enumerable.Range(0, 900).Select(i => 1_000_000L + (7L * i))];
        var bytes = rows.Select(v => (byte)v).ToArray();
        grown.Add(rows.AsSpan(0, 500 * D), ids.AsSpan(0, 500));
        grown.Add(bytes.AsSpan(500 * D), ids.AsSpan(500));
        grown.Count.Should().Be(900);

        var expected = IvfIndexTests.Search(built, queries, 6).Rows;
        var found = new long[20 * 6];
        grown.Search(queries, 6, found, new float[20 * 6]);
        found.Should().Equal(expected.Select(r => ids[r]), $"{kind}: rows added in batches with ids are found as the rows built at once, by their ids");

        long[] gone = [.. expected.Where((_, i) => i % 6 == 0).Distinct().Select(r => ids[r])];
        grown.Remove(gone).Should().Be(gone.Length);
        grown.Search(queries, 6, found, new float[20 * 6]);
        found.Should().NotContain(gone, "removed rows are never returned").And.NotContain(-1, "the other rows fill in");
    }

    [Fact]
    public void ACancelledAdd_LeavesTheCodesAndTheRowsInStep()
    {
        var (rows, queries) = Data(40_000, 5, pixels: true, seed: 11);
        var pixels = rows.Select(v => (byte)v).ToArray();
        var index = NeighborIndex.Create(D, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 16, NumberOfProbes = 16, Encoding = new ProductQuantizerEncoding { Subquantizers = 4 }, RefineFactor = 1000 });
        index.Train(rows);
        using var cancel = new CancellationTokenSource();
        var progress = new CancelOnFirstReport(cancel);
        FluentActions.Invoking(() => index.Add(pixels, progress, cancel.Token)).Should().Throw<OperationCanceledException>();
        progress.Reports.Should().BeGreaterThan(0, "the add reported progress, and was cancelled at its first report");

        // Cancelled between chunks of 16,384 rows, never between the codes and the rows of one chunk.
        index.Count.Should().Be(16_384, "the first chunk went into both parts; the cancellation stopped the add before the second");
        index.Refined!.Rows.Count.Should().Be(index.Refined.Base.Count);
        IvfIndexTests.Search(index, queries, 5).Rows.Should().Equal(IvfIndexTests.Search(NeighborIndex.Build(rows.AsSpan(0, 16_384 * D), D, KnnDistance.L2), queries, 5).Rows, "the rows added are searched exactly");

        // With ids of the user's: the rows that went in before the cancellation have theirs, and later adds line up.
        var withIds = NeighborIndex.Create(D, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 16, NumberOfProbes = 16, Encoding = new ProductQuantizerEncoding { Subquantizers = 4 }, RefineFactor = 1000 });
        withIds.Train(rows);
        long[] ids = [.. Enumerable.Range(0, 40_000).Select(i => 7_000_000L + i)];
        using var cancelIds = new CancellationTokenSource();
        FluentActions.Invoking(() => withIds.Add(rows, ids, new CancelOnFirstReport(cancelIds), cancelIds.Token)).Should().Throw<OperationCanceledException>();
        withIds.Count.Should().Be(16_384);
        withIds.Add(rows.AsSpan(16_384 * D, 100 * D), ids.AsSpan(16_384, 100));
        var found = new long[5 * 5];
        withIds.Search(rows.AsSpan(0, 5 * D), 5, found, new float[5 * 5]);
        found.Where((_, i) => i % 5 == 0).Should().Equal(ids.Take(5), "each row finds itself first, by its own id");
        withIds.Search(rows.AsSpan(16_384 * D, D), 1, found.AsSpan(0, 1), new float[1]);
        found[0].Should().Be(ids[16_384], "a row added after the cancellation has its own id");
    }

    [Fact]
    public void RangeSearch_AndOptionsChangedAfterCreate_AreSafe()
    {
        var (rows, queries) = Data(800, 10, pixels: false, seed: 12);
        var refined = NeighborIndex.Build(rows, D, KnnDistance.L2, new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = 4 }, RefineFactor = 1000 });
        var exact = NeighborIndex.Build(rows, D, KnnDistance.L2);
        var inside = refined.SearchRadius(queries, 2.6f);
        var expected = exact.SearchRadius(queries, 2.6f);
        expected.Ids.Count.Should().BeGreaterThan(10, "the radius holds rows");
        inside.Limits.Should().Equal(expected.Limits);
        inside.Ids.Should().Equal(expected.Ids, "every row re-ranked, the radius holds the exact index's rows");

        var options = new ExactIndexOptions { Encoding = new ScalarQuantizerEncoding(), RefineFactor = 3 };
        var index = NeighborIndex.Create(D, KnnDistance.L2, options);
        options.RefineFactor = float.NaN;   // changed after Create: the index keeps what was checked
        index.Train(rows);
        index.Refined!.Factor.Should().Be(3);
    }

    [Fact]
    public void BadOptions_AreRefused_NamingRefineFactor()
    {
        foreach (float bad in new[] { 0.5f, 0f, float.NaN, float.PositiveInfinity, 1001f })
        {
            FluentActions.Invoking(() => NeighborIndex.Create(D, KnnDistance.L2, new ExactIndexOptions { Encoding = new ScalarQuantizerEncoding(), RefineFactor = bad }))
                .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("RefineFactor").WithMessage("*between 1 and 1,000*");
        }

        var (rows, _) = Data(300, 1, pixels: false, seed: 8);
        FluentActions.Invoking(() => NeighborIndex.Build(rows, D, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 4, NumberOfProbes = 4, RefineFactor = 4 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("RefineFactor").WithMessage("*Set Encoding*");
        FluentActions.Invoking(() => NeighborIndex.Create(D, KnnDistance.L2, new ExactIndexOptions { RefineFactor = 2 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("RefineFactor");
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(100, 8, 1), 8);
        FluentActions.Invoking(() => ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { Index = new HnswIndexOptions { RefineFactor = 2 } }).Fit(data))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("RefineFactor");

        var refined = NeighborIndex.Build(rows, D, KnnDistance.L2, new ExactIndexOptions { Encoding = new ScalarQuantizerEncoding(), RefineFactor = 2 });
        FluentActions.Invoking(() => ExactSearchOnnx.Check(refined, "Knn"))
            .Should().Throw<NotSupportedException>().WithMessage("*RefineFactor*");
    }

    [Fact]
    public void ACopyWithItsOwnProbes_ReRanksToo()
    {
        var (rows, queries) = Data(1000, 20, pixels: false, seed: 9);
        var options = new IvfIndexOptions { NumberOfLists = 10, NumberOfProbes = 1, Encoding = new ProductQuantizerEncoding { Subquantizers = 4 }, RefineFactor = 1000 };
        var index = NeighborIndex.Build(rows, D, KnnDistance.L2, options).AsReadOnly();
        var copy = index.WithSearchSize(10);
        copy.Refined.Should().NotBeNull("the copy re-ranks as the index does");
        IvfIndexTests.Search(copy, queries, 5).Rows.Should().Equal(IvfIndexTests.Search(NeighborIndex.Build(rows, D, KnnDistance.L2), queries, 5).Rows, "every list probed and re-ranked is exact search");
        index.IvfPq!.NumberOfProbes.Should().Be(1, "the model's index keeps its own probes");
    }

    [Theory]
    [InlineData("ivf-pq")]
    [InlineData("hnsw-sq")]
    public void AKnnModelThatReRanks_PredictsTheSame_AfterSaveAndLoad(string kind)
    {
        var ml = new MLContext(seed: 1);
        var train = SyntheticData.Keyed(ml, SyntheticData.Rows(900, 8, 1), 8);
        var test = SyntheticData.Keyed(ml, SyntheticData.Rows(200, 8, 2), 8);
        NeighborIndexOptions options = kind == "ivf-pq"
            ? new IvfIndexOptions { NumberOfLists = 8, NumberOfProbes = 8, Encoding = new ProductQuantizerEncoding { Subquantizers = 2 }, RefineFactor = 50 }
            : new HnswIndexOptions { MaxConnections = 8, SearchSize = 64, Encoding = new ScalarQuantizerEncoding(), RefineFactor = 4 };
        var model = ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { NumberOfNeighbors = 5, Index = options }).Fit(train);
        model.Model.Index.Refined.Should().NotBeNull("the fitted index re-ranks on the full rows");
        var before = model.Transform(test).GetColumn<uint>("PredictedLabel").ToArray();
        var plain = ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { NumberOfNeighbors = 5 }).Fit(train).Transform(test).GetColumn<uint>("PredictedLabel").ToArray();
        before.Zip(plain).Count(p => p.First == p.Second).Should().BeGreaterThan(195, "re-ranked on the full rows, the votes are the exact ones");

        string path = Path.Combine(RepoPaths.NewTempDirectory(), "refined.zip");
        ml.Model.Save(model, train.Schema, path);
        var loaded = new MLContext(seed: 2).Model.Load(path, out _);
        loaded.Transform(test).GetColumn<uint>("PredictedLabel").ToArray().Should().Equal(before);
    }

    /// <summary>An index kind over codes, re-ranked with <paramref name="refine"/>; every list or node searched where the kind has a search size.</summary>
    internal static NeighborIndexOptions Options(string kind, float refine) => kind switch
    {
        "exact-pq" => new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = 4 }, RefineFactor = refine },
        "ivf-pq" => new IvfIndexOptions { NumberOfLists = 6, NumberOfProbes = 6, Encoding = new ProductQuantizerEncoding { Subquantizers = 4 }, RefineFactor = refine },
        "exact-sq" => new ExactIndexOptions { Encoding = new ScalarQuantizerEncoding(), RefineFactor = refine },
        "ivf-sq" => new IvfIndexOptions { NumberOfLists = 6, NumberOfProbes = 6, Encoding = new ScalarQuantizerEncoding(), RefineFactor = refine },
        "hnsw-sq" => new HnswIndexOptions { MaxConnections = 16, ConstructionSearchSize = 80, SearchSize = 2000, Encoding = new ScalarQuantizerEncoding(), RefineFactor = refine },
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Random rows and queries: continuous floats in [−1, 1) (no distance ties), or pixel bytes as floats.</summary>
    private static (float[] Rows, float[] Queries) Data(int count, int queries, bool pixels, int seed)
    {
        var random = new Random(seed);
        float Next() => pixels ? random.Next(256) : (float)((random.NextDouble() * 2) - 1);
        return ([.. Enumerable.Range(0, count * D).Select(_ => Next())], [.. Enumerable.Range(0, queries * D).Select(_ => Next())]);
    }

    private static double BruteForce(float[] query, float[] row, KnnDistance distance)
    {
        double dot = 0, qq = 0, rr = 0, squared = 0;
        for (int i = 0; i < query.Length; i++)
        {
            dot += (double)query[i] * row[i];
            qq += (double)query[i] * query[i];
            rr += (double)row[i] * row[i];
            squared += ((double)query[i] - row[i]) * ((double)query[i] - row[i]);
        }

        return distance == KnnDistance.L2 ? Math.Sqrt(squared) : 1 - (dot / Math.Sqrt(qq * rr));
    }
}

/// <summary>Cancels its source at the first progress report (reports come on the adding thread).</summary>
internal sealed class CancelOnFirstReport(CancellationTokenSource source) : IProgress<NeighborIndexProgress>
{
    public int Reports { get; private set; }

    public void Report(NeighborIndexProgress value)
    {
        Reports++;
        source.Cancel();
    }
}

/// <summary>Test shorthand: an index's search size set to what its options say (no-op for exact kinds).</summary>
internal static class RefineTestExtensions
{
    public static void SetSearchSizeIfAny(this NeighborIndex index, NeighborIndexOptions options)
    {
        switch (options)
        {
            case IvfIndexOptions ivf:
                index.SetSearchSize(ivf.NumberOfProbes);
                break;
            case HnswIndexOptions hnsw:
                index.SetSearchSize(hnsw.SearchSize);
                break;
        }
    }
}
