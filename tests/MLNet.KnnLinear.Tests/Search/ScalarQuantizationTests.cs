using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Search;
using MLNet.KnnLinear.Search.Quantization;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Search;

/// <summary>
/// 8-bit scalar quantization: the quantizer against faiss' own (fixture made by faiss 1.7.3, see
/// Fixtures/Faiss/make_sq8_reference.py), the half-step error bound, searches on the codes against a brute-force
/// search of the decoded rows in double (across panel, depth-block and thread-split boundaries), inverted files of
/// codes probing every list, the options' checks, and models that keep their codes through a save and load.
/// </summary>
public sealed class ScalarQuantizationTests
{
    private static readonly JsonElement Reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Faiss", "sq8_reference.json"))).RootElement;

    [Fact]
    public void Quantizer_EqualsFaiss_TrainedRanges_Codes_DecodedValues_AndNeighbours()
    {
        int d = Reference.GetProperty("dimension").GetInt32();
        var train = Matrix("train");
        var encode = Matrix("encode");
        var training = new ScalarQuantizerTraining(d, unitRows: false);
        training.AddRows(train);
        var quantizer = training.ToQuantizer();
        quantizer.Minimum.ToArray().Should().Equal(Vector("minimum"));
        quantizer.Range.ToArray().Should().Equal(Vector("range"), "faiss' vdiff is max − min in float");

        var codes = Reference.GetProperty("codes").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(c => (byte)c.GetInt32())).ToArray();
        var decoded = Matrix("decoded");
        var code = new byte[d];
        var row = new float[d];
        for (int r = 0; r < encode.Length / d; r++)
        {
            quantizer.Encode(encode.AsSpan(r * d, d), code);
            code.Should().Equal(codes.AsSpan(r * d, d).ToArray(), $"row {r}'s code is faiss' code");
            quantizer.Decode(code, row);
            row.Should().Equal(decoded.AsSpan(r * d, d).ToArray(), $"row {r} decodes to faiss' floats");
        }

        var index = NeighborIndex.Create(d, KnnDistance.L2, new ExactIndexOptions { Encoding = new ScalarQuantizerEncoding() });
        index.Train(train);
        index.Add(encode);
        var queries = Matrix("queries");
        var (rows, distances) = IvfIndexTests.Search(index, queries, 5);
        var expected = Reference.GetProperty("neighbors").EnumerateArray().SelectMany(q => q.EnumerateArray().Select(i => i.GetInt32())).ToArray();
        var squared = Matrix("squaredDistances");
        rows.Should().Equal(expected, "the codes searched here give faiss' neighbours");
        for (int i = 0; i < squared.Length; i++)
        {
            ((double)distances[i] * distances[i]).Should().BeApproximately(squared[i], 1e-4 * Math.Max(1, squared[i]), $"distance {i} is faiss' (squared there)");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(64)]
    public void DecodedValues_AreWithinHalfAStep_InsideTheTrainedRange(int d)
    {
        var random = new Random(d);
        var rows = Enumerable.Range(0, 500 * d).Select(_ => (float)((random.NextDouble() * 40) - 7)).ToArray();
        var training = new ScalarQuantizerTraining(d, unitRows: false);
        training.AddRows(rows);
        var quantizer = training.ToQuantizer();
        var code = new byte[d];
        var decoded = new float[d];
        double worst = 0;
        for (int r = 0; r < 500; r++)
        {
            var row = rows.AsSpan(r * d, d);
            quantizer.Encode(row, code);
            quantizer.Decode(code, decoded);
            for (int j = 0; j < d; j++)
            {
                double halfStep = quantizer.Range[j] / 510.0;
                double error = Math.Abs(decoded[j] - row[j]);
                error.Should().BeLessThanOrEqualTo(halfStep + (2e-7 * (Math.Abs(row[j]) + Math.Abs(quantizer.Minimum[j]) + quantizer.Range[j])), $"row {r}, dimension {j} (half a step, plus float rounding of the values)");
                worst = Math.Max(worst, error / halfStep);
            }
        }

        worst.Should().BeGreaterThan(0.9, "some value lies near a step's edge, so the bound is tight, not loose");
    }

    public static IEnumerable<object[]> Shapes()
    {
        foreach (var distance in new[] { KnnDistance.L2, KnnDistance.Cosine })
        {
            foreach (var (rows, d) in new[] { (1, 1), (15, 2), (17, 3), (33, 17), (300, 385), (4_200, 24) })
            {
                yield return [distance, rows, d];
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ExactCodes_FindTheNearestDecodedRows_AsABruteForceSearchInDouble(KnnDistance distance, int count, int d)
    {
        var random = new Random((count * 31) + d);
        var rows = Enumerable.Range(0, count * d).Select(_ => (float)((random.NextDouble() * 6) - 2)).ToArray();
        var queries = Enumerable.Range(0, 13 * d).Select(_ => (float)((random.NextDouble() * 6) - 2)).ToArray();
        var index = NeighborIndex.Build(rows, d, distance, new ExactIndexOptions { Encoding = new ScalarQuantizerEncoding() });
        index.Exact!.Quantizer.Should().NotBeNull();
        CheckAgainstDecoded(index, queries, k: Math.Min(10, count));
    }

    [Theory]
    [InlineData(KnnDistance.L2)]
    [InlineData(KnnDistance.Cosine)]
    public void InvertedFileCodes_ProbingEveryList_FindTheNearestDecodedRows(KnnDistance distance)
    {
        int d = 20;
        var rows = IvfIndexTests.Clustered(3_000, d, centers: 12, seed: 3);
        var queries = IvfIndexTests.Clustered(40, d, centers: 12, seed: 4);
        var index = NeighborIndex.Build(rows, d, distance, new IvfIndexOptions { NumberOfLists = 12, NumberOfProbes = 12, Encoding = new ScalarQuantizerEncoding() });
        index.Ivf!.Quantizer.Should().NotBeNull();
        index.Ivf.ByResidual.Should().Be(distance == KnnDistance.L2, "L2 lists hold residuals (faiss' default), cosine lists rows");
        CheckAgainstDecoded(index, queries, k: 10);

        // Residual codes are finer than codes of the rows: each list's spread is narrower than the whole set's.
        if (distance == KnnDistance.L2)
        {
            var direct = NeighborIndex.Build(rows, d, distance, new ExactIndexOptions { Encoding = new ScalarQuantizerEncoding() });
            index.Ivf.Quantizer!.Range.ToArray().Sum().Should().BeLessThan(direct.Exact!.Quantizer!.Range.ToArray().Sum());
        }
    }

    [Theory]
    [InlineData(KnnDistance.L2)]
    [InlineData(KnnDistance.Cosine)]
    public void HnswCodes_SearchingEveryNode_FindTheNearestDecodedRows(KnnDistance distance)
    {
        int d = 20;
        var rows = IvfIndexTests.Clustered(600, d, centers: 12, seed: 7);
        var queries = IvfIndexTests.Clustered(30, d, centers: 12, seed: 8);
        var index = NeighborIndex.Build(rows, d, distance, new HnswIndexOptions { MaxConnections = 8, ConstructionSearchSize = 64, SearchSize = 600, Encoding = new ScalarQuantizerEncoding() });
        index.Hnsw!.Quantizer.Should().NotBeNull("the graph's nodes are codes");
        index.SizeInBytes.Should().BeLessThan((600L * d) + (600L * 4 * 8 * 3) + (600L * 12) + (16L * d), "one byte a dimension beside the links");
        CheckAgainstDecoded(index, queries, k: 10);
    }

    [Fact]
    public void Codes_TakeOneByteADimension_AndRowsAddedLaterAreEncodedWithTheTrainedRanges()
    {
        int d = 96;
        var rows = IvfIndexTests.Clustered(5_000, d, centers: 10, seed: 5);
        var index = NeighborIndex.Create(d, KnnDistance.L2, new ExactIndexOptions { Encoding = new ScalarQuantizerEncoding() });
        FluentActions.Invoking(() => index.Add(rows)).Should().Throw<InvalidOperationException>().WithMessage("*not trained*Train(sample)*");
        index.IsTrained.Should().BeFalse();
        index.Train(rows.AsSpan(0, 1_000 * d));
        index.IsTrained.Should().BeTrue();
        index.Add(rows.AsSpan(0, 3_000 * d));
        index.Add(rows.AsSpan(3_000 * d));
        index.Count.Should().Be(5_000);
        var plain = NeighborIndex.Build(rows, d, KnnDistance.L2);
        index.SizeInBytes.Should().BeLessThan((long)(1.1 * 5_000 * d) + (5_000 * 4) + (16 * d), "one byte a dimension, a float a row, and the quantizer");
        plain.SizeInBytes.Should().BeGreaterThan(index.SizeInBytes, "the plain index holds these whole-number rows as bytes plus double norms");
        FluentActions.Invoking(() => index.Train(rows)).Should().Throw<InvalidOperationException>().WithMessage("*trained already*");
        CheckAgainstDecoded(index, IvfIndexTests.Clustered(20, d, centers: 10, seed: 6), k: 5);
    }

    [Fact]
    public void L1_IsRefused_NamingTheEncodingOption()
    {
        var rows = IvfIndexTests.Clustered(100, 4, centers: 3, seed: 1);
        var sq = new ScalarQuantizerEncoding();
        FluentActions.Invoking(() => NeighborIndex.Build(rows, 4, KnnDistance.L1, new ExactIndexOptions { Encoding = sq })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Encoding");
        FluentActions.Invoking(() => NeighborIndex.Create(4, KnnDistance.L1, new IvfIndexOptions { Encoding = sq })).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Encoding");
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(60, 4, 1), 4);
        FluentActions.Invoking(() => ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { Distance = KnnDistance.L1, Index = new ExactIndexOptions { Encoding = sq } }).Fit(data))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Encoding");
    }

    [Theory]
    [InlineData("exact")]
    [InlineData("ivf")]
    [InlineData("hnsw")]
    public void AKnnModelOfCodes_PredictsTheSame_AfterSaveAndLoad(string kind)
    {
        var ml = new MLContext(seed: 1);
        var train = SyntheticData.Keyed(ml, SyntheticData.Rows(600, 8, 1), 8);
        var test = SyntheticData.Keyed(ml, SyntheticData.Rows(200, 8, 2), 8);
        NeighborIndexOptions options = kind switch
        {
            "ivf" => new IvfIndexOptions { NumberOfLists = 8, NumberOfProbes = 3, Encoding = new ScalarQuantizerEncoding() },
            "hnsw" => new HnswIndexOptions { MaxConnections = 8, Encoding = new ScalarQuantizerEncoding() },
            _ => new ExactIndexOptions { Encoding = new ScalarQuantizerEncoding() },
        };
        var model = ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { NumberOfNeighbors = 5, Index = options }).Fit(train);
        var index = model.Model.Index;
        (index.Ivf?.Quantizer ?? index.Hnsw?.Quantizer ?? index.Exact?.Quantizer).Should().NotBeNull("the fitted index holds codes");
        var before = model.Transform(test).GetColumn<uint>("PredictedLabel").ToArray();
        var plain = ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { NumberOfNeighbors = 5 }).Fit(train).Transform(test).GetColumn<uint>("PredictedLabel").ToArray();
        before.Zip(plain).Count(p => p.First == p.Second).Should().BeGreaterThan(180, "8-bit codes change few votes");

        string path = Path.Combine(RepoPaths.NewTempDirectory(), "sq.zip");
        ml.Model.Save(model, train.Schema, path);
        var loaded = new MLContext(seed: 2).Model.Load(path, out _);
        loaded.Transform(test).GetColumn<uint>("PredictedLabel").ToArray().Should().Equal(before);
    }

    [Fact]
    public void AnIndexTooLargeForAModelsState_IsRefusedBeforeWriting_NamingSaveFaiss()
    {
        var index = NeighborIndex.Build(IvfIndexTests.Clustered(1_000, 16, centers: 4, seed: 9), 16, KnnDistance.L2);
        NeighborIndexState.MaxIndexBytes.Should().BeLessThan(Array.MaxLength, "the state is read back into one array");
        FluentActions.Invoking(() => NeighborIndexState.CheckFits(index, limit: index.SizeInBytes - 1))
            .Should().Throw<NotSupportedException>().WithMessage("*cannot be saved with Model.Save*NeighborIndex.SaveFaiss*");
        FluentActions.Invoking(() => NeighborIndexState.CheckFits(index, limit: index.SizeInBytes)).Should().NotThrow();
    }

    /// <summary>
    /// Each query's k results are the k nearest decoded rows (<see cref="NeighborIndex"/>'s own CopyRow), ranked in
    /// double: the same set except where the reference's k-th and (k+1)-th are closer than the float expansion's
    /// rounding, and each reported distance the reference distance to that row.
    /// </summary>
    /// <param name="index">The index searched.</param>
    /// <param name="queries">Queries, row-major.</param>
    /// <param name="k">Neighbours per query.</param>
    /// <param name="tolerance">Allowed difference, relative to the largest reference distance (at least 1).</param>
    /// <param name="cosineAsUnitL2">Cosine is ½‖q̂ − x̂‖² (product codes), not 1 − q̂·x̂.</param>
    internal static void CheckAgainstDecoded(NeighborIndex index, float[] queries, int k, double tolerance = 1e-5, bool cosineAsUnitL2 = false)
    {
        int d = index.Dimension;
        int n = index.Count;
        var decoded = new float[(long)n * d];
        for (int r = 0; r < n; r++)
        {
            index.CopyRow(r, decoded.AsSpan(r * d, d));
        }

        var (rows, distances) = IvfIndexTests.Search(index, queries, k);
        for (int q = 0; q < queries.Length / d; q++)
        {
            var query = queries.AsSpan(q * d, d);
            var reference = new double[n];
            for (int r = 0; r < n; r++)
            {
                reference[r] = cosineAsUnitL2 && index.Distance == KnnDistance.Cosine
                    ? HalfSquaredDistanceOfUnitQuery(query, decoded.AsSpan(r * d, d))
                    : ReferenceDistance(index.Distance, query, decoded.AsSpan(r * d, d));
            }

            var sorted = reference.Order().ToArray();
            double scale = tolerance * Math.Max(1, index.Distance == KnnDistance.L2 ? sorted[^1] : 1);
            double kth = sorted[k - 1];
            for (int i = 0; i < k; i++)
            {
                int row = rows[(q * k) + i];
                row.Should().BeInRange(0, n - 1);
                double expected = index.Distance == KnnDistance.L2 ? Math.Sqrt(reference[row]) : reference[row];
                double got = distances[(q * k) + i];
                (index.Distance == KnnDistance.L2 ? got * got : got).Should().BeApproximately(reference[row], scale, $"query {q}, result {i}: the distance to decoded row {row} ({expected})");
                reference[row].Should().BeLessThanOrEqualTo(kth + scale, $"query {q}, result {i}: row {row} is among the {k} nearest decoded rows");
            }
        }
    }

    private static double HalfSquaredDistanceOfUnitQuery(ReadOnlySpan<float> query, ReadOnlySpan<float> row)
    {
        double norm = 0;
        for (int j = 0; j < query.Length; j++)
        {
            norm += (double)query[j] * query[j];
        }

        norm = norm == 0 ? 1 : Math.Sqrt(norm);
        double sum = 0;
        for (int j = 0; j < query.Length; j++)
        {
            double diff = (query[j] / norm) - row[j];
            sum += diff * diff;
        }

        return 0.5 * sum;
    }

    private static double ReferenceDistance(KnnDistance distance, ReadOnlySpan<float> query, ReadOnlySpan<float> row)
    {
        if (distance == KnnDistance.L2)
        {
            double sum = 0;
            for (int j = 0; j < query.Length; j++)
            {
                double diff = (double)query[j] - row[j];
                sum += diff * diff;
            }

            return sum;
        }

        // Cosine over codes: 1 − q̂·x̂, the decoded unit row as it is (faiss' inner product for a unit query).
        double dot = 0, norm = 0;
        for (int j = 0; j < query.Length; j++)
        {
            dot += (double)query[j] * row[j];
            norm += (double)query[j] * query[j];
        }

        return norm == 0 ? 1 : 1 - (dot / Math.Sqrt(norm));
    }

    private static float[] Matrix(string name)
        => [.. Reference.GetProperty(name).EnumerateArray().SelectMany(r => r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().Select(v => v.GetSingle()) : [r.GetSingle()])];

    private static float[] Vector(string name) => [.. Reference.GetProperty(name).EnumerateArray().Select(v => v.GetSingle())];
}
