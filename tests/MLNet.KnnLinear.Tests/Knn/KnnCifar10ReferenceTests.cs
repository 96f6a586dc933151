using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Search;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Knn;

/// <summary>
/// kNN on the shared CIFAR-10 split against an exact integer brute force in numpy
/// (Fixtures/knn_cifar10_reference.json, made by Fixtures/make_knn_cifar10_reference.py): the neighbour lists of
/// exact search, each test row's predicted class under the documented tie rule, and Evaluate's accuracy, whatever
/// the order of the label keys.
/// </summary>
public sealed class KnnCifar10ReferenceTests
{
    private static readonly Lazy<JsonElement> Reference = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "knn_cifar10_reference.json"))).RootElement);

    [SkippableTheory]
    [InlineData(KnnDistance.L1, 1)]
    [InlineData(KnnDistance.L1, 7)]
    [InlineData(KnnDistance.L2, 1)]
    [InlineData(KnnDistance.L2, 7)]
    public void Knn_Cifar10_PredictionsAndEvaluateAccuracy_EqualExactReference(KnnDistance distance, int k)
    {
        var reference = ReferenceFor(distance, k);
        int[] expected = reference.GetProperty("predicted").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        double expectedAccuracy = reference.GetProperty("accuracy").GetDouble();
        var ml = new MLContext(seed: 1);

        // Label keys in the file's class order (LoadFromCifar10), then in order of first occurrence (MapValueToKey).
        foreach (bool remapKeys in new[] { false, true })
        {
            var (train, test) = Data(ml, remapKeys);
            var scored = ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { NumberOfNeighbors = k, Distance = distance }).Fit(train).Transform(test);
            var predicted = PredictedClassNames(scored);
            var names = Cifar10Names(ml);

            predicted.Should().Equal(expected.Select(c => names[c]), $"{distance} k = {k}, keys {(remapKeys ? "by occurrence" : "as in the file")}");
            ml.MulticlassClassification.Evaluate(scored).MicroAccuracy.Should().BeApproximately(expectedAccuracy, 1e-12, "Evaluate must report the reference accuracy");
        }
    }

    [SkippableTheory]
    [InlineData(KnnDistance.L2, "l2_k10", 10)]
    [InlineData(KnnDistance.L1, "l1_k7", 7)]
    public void FlatIndex_Cifar10_NeighbourListsEqualExactIntegerReference(KnnDistance distance, string fixture, int k)
    {
        var expected = Reference.Value.GetProperty(fixture);
        var (trainPixels, _) = Cifar10Data.Read(int.MaxValue, TrainBatches);
        var (testPixels, _) = Cifar10Data.Read(int.MaxValue, "test_batch.bin");
        CheckSameData();
        var index = new FlatIndex(trainPixels, 3072, distance);
        int queries = testPixels.Length / 3072;
        var distances = new float[queries * k];
        var rows = new int[queries * k];

        index.Search(testPixels, k, distances, rows);

        var expectedRows = expected.GetProperty("indices").EnumerateArray().ToArray();
        var expectedDistances = expected.GetProperty("distances").EnumerateArray().ToArray();
        var wrong = new List<int>();
        for (int q = 0; q < queries; q++)
        {
            // Ties are ordered by row number on both sides, so even tied neighbours must come out in the same order.
            var want = expectedRows[q].EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var wantDistances = expectedDistances[q].EnumerateArray().Select(e => e.GetInt64()).ToArray();
            if (!rows.AsSpan(q * k, k).SequenceEqual(want))
            {
                wrong.Add(q);
                continue;
            }

            for (int i = 0; i < k; i++)
            {
                float reported = distance == KnnDistance.L2 ? (float)Math.Sqrt(wantDistances[i]) : wantDistances[i];
                distances[(q * k) + i].Should().Be(reported, $"query {q}, neighbour {i}");
            }
        }

        wrong.Should().BeEmpty($"exact {distance} search must return the exact neighbour lists (queries that differ: {string.Join(", ", wrong)})");
    }

    [SkippableFact]
    public void FlatIndex_Cifar10Derived129088Rows_L2NeighbourListsEqualExactIntegerReference()
    {
        // Fixtures/make_knn_cifar10_derived_reference.py: 16 shifted / mirrored copies of every training image.
        var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "knn_cifar10_derived_reference.json"))).RootElement;
        CheckSameData();
        var (trainPixels, _) = Cifar10Data.Read(int.MaxValue, TrainBatches);
        var (testPixels, _) = Cifar10Data.Read(int.MaxValue, "test_batch.bin");
        int images = trainPixels.Length / 3072;
        var rows = new float[(long)images * 16 * 3072];
        for (int image = 0; image < images; image++)
        {
            for (int v = 0; v < 16; v++)
            {
                int shift = v >> 1;
                var target = rows.AsSpan(((image * 16) + v) * 3072, 3072);
                for (int c = 0; c < 3; c++)
                {
                    for (int y = 0; y < 32; y++)
                    {
                        for (int x = 0; x < 32; x++)
                        {
                            int source = (x + shift) % 32;
                            source = (v & 1) == 1 ? 31 - source : source;
                            target[(c * 1024) + (y * 32) + x] = trainPixels[(image * 3072) + (c * 1024) + (y * 32) + source];
                        }
                    }
                }
            }
        }

        var index = new FlatIndex(rows, 3072, KnnDistance.L2);
        rows = null;
        int queries = testPixels.Length / 3072;
        var distances = new float[queries * 10];
        var found = new int[queries * 10];

        index.Search(testPixels, 10, distances, found);

        var expected = reference.GetProperty("l2_k10").GetProperty("indices").EnumerateArray().ToArray();
        var wrong = Enumerable.Range(0, queries)
            .Where(q => !found.AsSpan(q * 10, 10).SequenceEqual(expected[q].EnumerateArray().Select(e => e.GetInt32()).ToArray()))
            .ToList();
        wrong.Should().BeEmpty($"exact L2 over {index.Count} rows must return the exact neighbour lists (queries that differ: {string.Join(", ", wrong)})");
    }

    private static readonly string[] TrainBatches = Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray();

    private static JsonElement ReferenceFor(KnnDistance distance, int k)
    {
        CheckSameData();
        return Reference.Value.GetProperty("knn").EnumerateArray()
            .Single(e => e.GetProperty("distance").GetString() == distance.ToString() && e.GetProperty("k").GetInt32() == k);
    }

    /// <summary>The fixture names the batch files by hash: a different data subset is an error, not a mismatch.</summary>
    private static void CheckSameData()
    {
        foreach (var file in Reference.Value.GetProperty("sha256").EnumerateObject())
        {
            string actual = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(Cifar10Data.Directory, file.Name)))).ToLowerInvariant();
            actual.Should().Be(file.Value.GetString(), $"{file.Name} must be the shared subset the fixture was made from");
        }
    }

    private static (IDataView Train, IDataView Test) Data(MLContext ml, bool remapKeys)
    {
        IDataView Features(IDataView data)
        {
            var pipeline = ml.Transforms.Conversion.ConvertType("Features", "Pixels", DataKind.Single);
            var featurized = pipeline.Fit(data).Transform(data);
            if (!remapKeys)
            {
                return featurized;
            }

            var asText = ml.Transforms.Conversion.MapKeyToValue("LabelText", "Label").Fit(featurized).Transform(featurized);
            return asText;
        }

        var train = Features(ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Train));
        var test = Features(ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Test));
        if (!remapKeys)
        {
            return (train, test);
        }

        // Keys in order of first occurrence in the training data, as a user's MapValueToKey makes them.
        var toKey = ml.Transforms.Conversion.MapValueToKey("Label", "LabelText").Fit(train);
        return (toKey.Transform(train), toKey.Transform(test));
    }

    private static string[] Cifar10Names(MLContext ml)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Test).Schema["Label"].GetKeyValues(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    private static List<string> PredictedClassNames(IDataView scored)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        scored.Schema["PredictedLabel"].GetKeyValues(ref names);
        var keyNames = names.DenseValues().Select(n => n.ToString()).ToArray();
        var result = new List<string>();
        using var cursor = scored.GetRowCursor([scored.Schema["PredictedLabel"]]);
        var getter = cursor.GetGetter<uint>(scored.Schema["PredictedLabel"]);
        uint key = 0;
        while (cursor.MoveNext())
        {
            getter(ref key);
            result.Add(keyNames[key - 1]);
        }

        return result;
    }
}
