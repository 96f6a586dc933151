using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Search.Quantization;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Search;

/// <summary>
/// Product quantization: distance tables against a brute-force decode in double, codes against a brute-force nearest
/// centroid, training that depends on the seed and not the threads, searches of codes (exact and inverted file, L2 and
/// cosine) against a brute-force search of the decoded rows, the options' checks, and kNN models of codes through a
/// save and load. The faiss side (its codes, distances and files) is in FaissInteropTests.
/// </summary>
public sealed class ProductQuantizationTests
{
    private static readonly JsonElement Reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Faiss", "pq_reference.json"))).RootElement;

    [Fact]
    public void FaissCentroids_GiveFaissCodes_DecodedRows_AndNeighbours()
    {
        int d = Reference.GetProperty("dimension").GetInt32();
        int m = Reference.GetProperty("subquantizers").GetInt32();
        var quantizer = new ProductQuantizer(d, m, Floats("centroids"));
        var encode = Floats("encode");
        var codes = Bytes("codes");
        var decoded = Floats("decoded");
        var code = new byte[m];
        var row = new float[d];
        var table = new float[quantizer.TableLength];
        int rows = encode.Length / d;
        int same = 0;
        for (int r = 0; r < rows; r++)
        {
            quantizer.Encode(encode.AsSpan(r * d, d), code, table);
            same += code.AsSpan().SequenceEqual(codes.AsSpan(r * m, m)) ? 1 : 0;
            quantizer.Decode(codes.AsSpan(r * m, m), row);
            row.Should().Equal(decoded.AsSpan(r * d, d).ToArray(), $"faiss' code of row {r} decodes to faiss' floats");
        }

        same.Should().BeGreaterThanOrEqualTo(rows * 99 / 100, "the nearest centroids are faiss' (a near tie may round the other way)");

        // faiss' codes searched here: faiss' neighbours and ADC distances.
        foreach (var (distance, centroidsName, codesName, neighborsName, distancesName) in new[]
        {
            (KnnDistance.L2, "centroids", "codes", "neighbors", "squaredDistances"),
            (KnnDistance.Cosine, "ipCentroids", "ipCodes", "ipNeighbors", "ipSimilarities"),
        })
        {
            var index = new ProductQuantizedIndex(d, distance, new ProductQuantizer(d, m, Floats(centroidsName)), maxThreads: 0, innerProduct: distance == KnnDistance.Cosine);
            index.AddCodes(Bytes(codesName));
            var queries = Floats("queries");
            var (found, distances) = IvfIndexTests.Search(new NeighborIndex(index, new ExactIndexOptions(), maxThreads: 0), queries, 5);
            var expected = Reference.GetProperty(neighborsName).EnumerateArray().SelectMany(q => q.EnumerateArray().Select(i => i.GetInt32())).ToArray();
            found.Should().Equal(expected, $"{distance}: faiss' codes searched here give faiss' neighbours");
            var theirs = Floats(distancesName);
            for (int i = 0; i < theirs.Length; i++)
            {
                double ours = distance == KnnDistance.L2 ? (double)distances[i] * distances[i] : 1 - distances[i];
                ours.Should().BeApproximately(theirs[i], 1e-4 * Math.Max(1, Math.Abs(theirs[i])), $"{distance} distance {i} is faiss' ADC distance");
            }
        }
    }

    [Theory]
    [InlineData(8, 1)]
    [InlineData(12, 3)]
    [InlineData(40, 8)]
    [InlineData(7, 7)]
    public void Tables_SumToTheDistanceAndInnerProductOfTheDecodedRow(int d, int m)
    {
        var random = new Random(d * m);
        var quantizer = RandomQuantizer(d, m, random);
        var table = new float[quantizer.TableLength];
        var code = new byte[m];
        var decoded = new float[d];
        for (int trial = 0; trial < 50; trial++)
        {
            var query = Enumerable.Range(0, d).Select(_ => (float)((random.NextDouble() * 20) - 10)).ToArray();
            random.NextBytes(code);
            quantizer.Decode(code, decoded);
            double l2 = 0, dot = 0;
            for (int j = 0; j < d; j++)
            {
                l2 += ((double)query[j] - decoded[j]) * ((double)query[j] - decoded[j]);
                dot += (double)query[j] * decoded[j];
            }

            quantizer.L2Tables(query, table);
            ((double)ProductQuantizer.Sum(table, code)).Should().BeApproximately(l2, 1e-4 * Math.Max(1, l2), $"trial {trial}: ADC L2 is the distance to the decoded row");
            quantizer.InnerProductTables(query, table);
            ((double)ProductQuantizer.Sum(table, code)).Should().BeApproximately(dot, 1e-4 * Math.Max(1, Math.Abs(dot)), $"trial {trial}: ADC inner product");
        }
    }

    [Fact]
    public void Encode_TakesTheNearestCentroidOfEverySubspace()
    {
        var random = new Random(3);
        const int d = 24, m = 6;
        var quantizer = RandomQuantizer(d, m, random);
        var table = new float[quantizer.TableLength];
        var code = new byte[m];
        for (int trial = 0; trial < 100; trial++)
        {
            var row = Enumerable.Range(0, d).Select(_ => (float)((random.NextDouble() * 20) - 10)).ToArray();
            quantizer.Encode(row, code, table);
            for (int s = 0; s < m; s++)
            {
                double Distance(int c)
                {
                    var centroid = quantizer.Centroid(s, c);
                    double sum = 0;
                    for (int j = 0; j < 4; j++)
                    {
                        double difference = (double)row[(s * 4) + j] - centroid[j];
                        sum += difference * difference;
                    }

                    return sum;
                }

                double best = Enumerable.Range(0, 256).Min(Distance);
                Distance(code[s]).Should().BeApproximately(best, 1e-4, $"trial {trial}, sub-space {s}: the nearest centroid");
            }
        }
    }

    [Fact]
    public void Training_DependsOnTheSeed_NotTheThreads()
    {
        var rows = IvfIndexTests.Clustered(3000, 16, centers: 30, seed: 4);
        var order = ProductQuantizerTraining.SampleOrder(3000, seed: 7);
        var sample = order.SelectMany(r => rows.AsSpan(r * 16, 16).ToArray()).ToArray();
        var one = ProductQuantizerTraining.Train(sample, 16, 4, maxThreads: 1);
        var two = ProductQuantizerTraining.Train(sample, 16, 4, maxThreads: 2);
        two.Centroids.ToArray().Should().Equal(one.Centroids.ToArray(), "sub-spaces train independently, whichever thread takes them");

        var options = new IvfIndexOptions { NumberOfLists = 8, NumberOfProbes = 2, Seed = 3, Encoding = new ProductQuantizerEncoding { Subquantizers = 4 } };
        var first = NeighborIndex.Build(rows, 16, KnnDistance.L2, options).IvfPq!;
        var again = NeighborIndex.Build(rows, 16, KnnDistance.L2, options).IvfPq!;
        again.Quantizer.Centroids.ToArray().Should().Equal(first.Quantizer.Centroids.ToArray(), "the same seed and rows give the same quantizer");
        options.Seed = 4;
        NeighborIndex.Build(rows, 16, KnnDistance.L2, options).IvfPq!.Quantizer.Centroids.ToArray().Should().NotEqual(first.Quantizer.Centroids.ToArray(), "another seed draws another sample");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void SubspaceKMeans_EqualsTheGeneralKMeans_OnTheSameSample(int dimension)
    {
        // The same start (the sample's first 256 rows), the same Lloyd steps and empty-cluster split: only how the
        // nearest centroid is computed differs (a 256-wide multiply-add here, the exact index's matrix product there).
        var random = new Random(dimension);
        var sample = Enumerable.Range(0, 3000 * dimension).Select(_ => (float)(random.NextDouble() * 50)).ToArray();
        var ours = SubspaceKMeans.Train(sample, dimension, iterations: 6);
        var general = MLNet.KnnLinear.Search.Ivf.KMeans.TrainOnSample(sample, dimension, KnnDistance.L2, 256, 6, maxThreads: 1);
        ours.Length.Should().Be(256 * dimension);
        double Objective(float[] centroids)
        {
            double sum = 0;
            for (int r = 0; r < 3000; r++)
            {
                double nearest = double.MaxValue;
                for (int c = 0; c < 256; c++)
                {
                    double distance = 0;
                    for (int t = 0; t < dimension; t++)
                    {
                        double difference = (double)sample[(r * dimension) + t] - centroids[(c * dimension) + t];
                        distance += difference * difference;
                    }

                    nearest = Math.Min(nearest, distance);
                }

                sum += nearest;
            }

            return sum;
        }

        Objective(ours).Should().BeApproximately(Objective(general), 1e-2 * Objective(general), "as good a clustering (on a line, a tie may lead to another local optimum)");
        if (dimension == 1)
        {
            return;   // 3,000 values on a line: a value midway between two centroids may go either way by float rounding
        }

        for (int i = 0; i < ours.Length; i++)
        {
            ours[i].Should().BeApproximately(general[i], 1e-3f, $"centroid value {i}");
        }
    }

    [Theory]
    [InlineData(KnnDistance.L2, 300, 8, 2)]
    [InlineData(KnnDistance.L2, 1100, 30, 10)]
    [InlineData(KnnDistance.Cosine, 700, 16, 4)]
    public void ExactCodes_FindTheNearestDecodedRows(KnnDistance distance, int count, int d, int m)
    {
        var rows = IvfIndexTests.Clustered(count, d, centers: 12, seed: count);
        var queries = IvfIndexTests.Clustered(30, d, centers: 12, seed: 5);
        var index = NeighborIndex.Build(rows, d, distance, new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = m } });
        index.ExactPq.Should().NotBeNull();
        index.SizeInBytes.Should().BeLessThan(((long)count * m) + (3L * 256 * d * 4), "m bytes a row, plus the centroids");
        ScalarQuantizationTests.CheckAgainstDecoded(index, queries, 7, tolerance: 1e-4, cosineAsUnitL2: true);
    }

    [Theory]
    [InlineData(KnnDistance.L2)]
    [InlineData(KnnDistance.Cosine)]
    public void InvertedFileCodes_ProbingEveryList_FindTheNearestDecodedRows(KnnDistance distance)
    {
        // Centred on 0, so that cosine neighbourhoods are as distinct as L2 ones.
        var rows = IvfIndexTests.Clustered(2000, 24, centers: 20, seed: 6).Select(v => v - 100).ToArray();
        var queries = IvfIndexTests.Clustered(40, 24, centers: 20, seed: 7).Select(v => v - 100).ToArray();
        var index = NeighborIndex.Build(rows, 24, distance, new IvfIndexOptions { NumberOfLists = 12, NumberOfProbes = 12, Encoding = new ProductQuantizerEncoding { Subquantizers = 6 } });
        index.IvfPq!.ByResidual.Should().BeTrue("codes are residuals from the lists' centroids, as faiss' default");
        ScalarQuantizationTests.CheckAgainstDecoded(index, queries, 10, tolerance: 1e-4, cosineAsUnitL2: true);

        // Fewer probes: still the nearest decoded rows among the probed lists' rows, and most of the true ones.
        index.SetSearchSize(4);
        var truth = IvfIndexTests.Search(NeighborIndex.Build(rows, 24, distance), queries, 10).Rows;
        IvfIndexTests.Recall(truth, IvfIndexTests.Search(index, queries, 10).Rows, 10).Should().BeGreaterThan(0.55, "6 bytes a row of 24 clustered values keep most neighbours (0.61 for L2 and cosine when this was written)");
    }

    [Fact]
    public void Searches_DoNotDependOnTheThreadCount_OrTheQueryBlock()
    {
        var rows = IvfIndexTests.Clustered(1500, 16, centers: 10, seed: 8);
        var queries = IvfIndexTests.Clustered(50, 16, centers: 10, seed: 9);
        foreach (NeighborIndexOptions options in new NeighborIndexOptions[]
        {
            new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = 8 } },
            new IvfIndexOptions { NumberOfLists = 10, NumberOfProbes = 3, Encoding = new ProductQuantizerEncoding { Subquantizers = 8 } },
        })
        {
            var many = NeighborIndex.Build(rows, 16, KnnDistance.L2, options, maxThreads: 0);
            var one = NeighborIndex.Build(rows, 16, KnnDistance.L2, options, maxThreads: 1);
            var all = IvfIndexTests.Search(many, queries, 10);
            IvfIndexTests.Search(one, queries, 10).Should().BeEquivalentTo(all, o => o.WithStrictOrdering());
            for (int q = 0; q < 50; q += 17)
            {
                var single = IvfIndexTests.Search(many, queries.AsSpan(q * 16, 16).ToArray(), 10);
                single.Rows.Should().Equal(all.Rows.AsSpan(q * 10, 10).ToArray(), $"query {q} alone finds what it finds among others");
            }
        }
    }

    [Fact]
    public void BadOptions_AreRefused_NamingTheOption()
    {
        var rows = IvfIndexTests.Clustered(400, 12, centers: 4, seed: 10);
        var five = new ProductQuantizerEncoding { Subquantizers = 5 };
        FluentActions.Invoking(() => NeighborIndex.Create(12, KnnDistance.L2, new IvfIndexOptions { Encoding = five }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Subquantizers").WithMessage("*divide the dimension 12*");
        FluentActions.Invoking(() => NeighborIndex.Build(rows, 12, KnnDistance.L2, new ExactIndexOptions { Encoding = five }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Subquantizers");
        FluentActions.Invoking(() => NeighborIndex.Create(12, KnnDistance.L2, new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = 0 } }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Subquantizers");
        FluentActions.Invoking(() => NeighborIndex.Create(12, KnnDistance.L1, new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = 4 } }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Encoding").WithMessage("*product quantization ranks by L2 or cosine*");
        FluentActions.Invoking(() => NeighborIndex.Create(12, KnnDistance.L2, new HnswIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = 4 } }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Encoding").WithMessage("*HNSW*");

        var index = NeighborIndex.Create(12, KnnDistance.L2, new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = 4 } });
        index.IsTrained.Should().BeFalse("the codebooks are learnt first");
        FluentActions.Invoking(() => index.Add(rows)).Should().Throw<InvalidOperationException>().WithMessage("*Train*");
        FluentActions.Invoking(() => index.Train(rows.AsSpan(0, 255 * 12))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("sample").WithMessage("*256 centroids*at least 256 rows*255*");
        index.Train(rows);
        FluentActions.Invoking(() => index.Train(rows)).Should().Throw<InvalidOperationException>().WithMessage("*product quantizer is trained already*");
        index.Add(rows);
        index.Count.Should().Be(400);
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(100, 8, 1), 8);
        FluentActions.Invoking(() => ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { Index = new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = 3 } } }).Fit(data))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Subquantizers");
    }

    [Theory]
    [InlineData("exact")]
    [InlineData("ivf")]
    public void AKnnModelOfProductCodes_PredictsTheSame_AfterSaveAndLoad(string kind)
    {
        var ml = new MLContext(seed: 1);
        var train = SyntheticData.Keyed(ml, SyntheticData.Rows(900, 8, 1), 8);
        var test = SyntheticData.Keyed(ml, SyntheticData.Rows(200, 8, 2), 8);
        NeighborIndexOptions options = kind == "ivf"
            ? new IvfIndexOptions { NumberOfLists = 8, NumberOfProbes = 3, Encoding = new ProductQuantizerEncoding { Subquantizers = 4 } }
            : new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = 4 } };
        var model = ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { NumberOfNeighbors = 5, Index = options }).Fit(train);
        var index = model.Model.Index;
        ((object?)index.IvfPq ?? index.ExactPq).Should().NotBeNull("the fitted index holds product codes");
        var before = model.Transform(test).GetColumn<uint>("PredictedLabel").ToArray();
        var plain = ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { NumberOfNeighbors = 5 }).Fit(train).Transform(test).GetColumn<uint>("PredictedLabel").ToArray();
        before.Zip(plain).Count(p => p.First == p.Second).Should().BeGreaterThan(150, "4 bytes a row of 8 features keep most votes");

        string path = Path.Combine(RepoPaths.NewTempDirectory(), "pq.zip");
        ml.Model.Save(model, train.Schema, path);
        var loaded = new MLContext(seed: 2).Model.Load(path, out _);
        loaded.Transform(test).GetColumn<uint>("PredictedLabel").ToArray().Should().Equal(before);
    }

    private static float[] Floats(string name)
        => [.. Reference.GetProperty(name).EnumerateArray().SelectMany(r => r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().Select(v => v.GetSingle()) : [r.GetSingle()])];

    private static byte[] Bytes(string name)
        => [.. Reference.GetProperty(name).EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => (byte)v.GetInt32()))];

    private static ProductQuantizer RandomQuantizer(int d, int m, Random random)
        => new(d, m, Enumerable.Range(0, 256 * d).Select(_ => (float)((random.NextDouble() * 20) - 10)).ToArray());
}
