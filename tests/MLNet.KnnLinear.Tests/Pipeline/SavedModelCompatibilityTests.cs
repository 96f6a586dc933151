using Microsoft.ML;
using MLNet.KnnLinear.ModelRunner;
using MLNet.KnnLinear.Tests.Support;
using Xunit.Abstractions;

namespace MLNet.KnnLinear.Tests.Pipeline;

/// <summary>
/// Models saved by an earlier release must load and predict exactly as they did when saved, on every ML.NET line
/// the packages support. <c>Fixtures/Models/</c> holds one model file per component and index kind, saved by
/// MLNet.KnnLinear 0.1.0 on ML.NET 5.0.1, beside the bits of its outputs on seeded data (<c>.out</c>: for each test
/// row, the output columns as <see cref="ColumnDump"/> writes them). Each model is loaded here, whatever ML.NET
/// this run loads, and must give those bits again.
/// <para>
/// Making the files: <c>KNNLINEAR_WRITE_MODEL_FIXTURES=DIR dotnet test tests/MLNet.KnnLinear.Tests -c Release -p:MlNetLine=5
/// --filter FullyQualifiedName~SavedModelCompatibilityTests</c> fits the same pipelines on the same data and writes them
/// to DIR (as well as running its own round-trip check). Do it only for a new release's models: the files already
/// checked in are the contract.
/// </para>
/// </summary>
public sealed class SavedModelCompatibilityTests(ITestOutputHelper output)
{
    private const int Side = 16;
    private const int Length = 3 * Side * Side;
    private static readonly string FixtureDirectory = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Models");

    /// <summary>Each fixture: its name, the output columns compared, and the pipeline that made it.</summary>
    public static TheoryData<string> Names => new(Pipelines().Select(p => p.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void SavedModel_FromRelease010_LoadsAndGivesTheBitsItGaveWhenSaved(string name)
    {
        var (_, columns, _) = Pipelines().Single(p => p.Name == name);
        string modelPath = Path.Combine(FixtureDirectory, name + ".zip");
        File.Exists(modelPath).Should().BeTrue($"the fixture {modelPath} is checked in");
        var expected = ReadOutputs(Path.Combine(FixtureDirectory, name + ".out"));

        var ml = new MLContext(seed: 5);
        var model = ml.Model.Load(modelPath, out _);
        var actual = ColumnDump.Rows(model.Transform(Test(ml)), columns).Select(r => r.Bytes).ToList();

        output.WriteLine($"{name}: {actual.Count} rows of {string.Join(", ", columns)}, ML.NET {typeof(MLContext).Assembly.GetName().Version}");
        actual.Should().HaveCount(expected.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            actual[i].Should().Equal(expected[i], $"row {i} of {name} must give the bits the saved model gave when it was saved");
        }
    }

    /// <summary>
    /// Fits every fixture pipeline now and checks its save/load round trip; with <c>KNNLINEAR_WRITE_MODEL_FIXTURES</c>
    /// set, also writes the model files and their outputs there (how the checked-in fixtures were made).
    /// </summary>
    [Fact]
    public void FixturePipelines_FitNow_RoundTripThroughAModelFile()
    {
        string? writeTo = Environment.GetEnvironmentVariable("KNNLINEAR_WRITE_MODEL_FIXTURES");
        string folder = writeTo ?? RepoPaths.NewTempDirectory();
        Directory.CreateDirectory(folder);
        var ml = new MLContext(seed: 1);
        var train = Train(ml);
        foreach (var (name, columns, pipeline) in Pipelines())
        {
            var model = pipeline(ml).Fit(train);
            var before = ColumnDump.Rows(model.Transform(Test(ml)), columns).Select(r => r.Bytes).ToList();
            string path = Path.Combine(folder, name + ".zip");
            ml.Model.Save(model, train.Schema, path);
            var after = ColumnDump.Rows(new MLContext(seed: 9).Model.Load(path, out _).Transform(Test(ml)), columns).Select(r => r.Bytes).ToList();
            after.Should().BeEquivalentTo(before, o => o.WithStrictOrdering(), name);
            if (writeTo is not null)
            {
                WriteOutputs(Path.Combine(folder, name + ".out"), before);
                output.WriteLine($"wrote {path} and its outputs ({before.Count} rows)");
            }
        }
    }

    private static IEnumerable<(string Name, string[] Columns, Func<MLContext, IEstimator<ITransformer>> Pipeline)> Pipelines()
    {
        string[] classifier = ["Score", "PredictedLabel"];
        IEstimator<ITransformer> Key(MLContext ml) => ml.Transforms.Conversion.MapValueToKey("Label");
        IEstimator<ITransformer> Knn(MLContext ml, KnnDistance distance, NeighborIndexOptions index, KnnWeighting weighting = KnnWeighting.Uniform)
            => Key(ml).Append(ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options
            {
                FeatureColumnName = "Pixels", NumberOfNeighbors = 5, Distance = distance, Weighting = weighting, Index = index,
            }));

        yield return ("knn-l1-exact", classifier, ml => Knn(ml, KnnDistance.L1, new ExactIndexOptions()));
        yield return ("knn-l2-exact-inverse-distance", classifier, ml => Knn(ml, KnnDistance.L2, new ExactIndexOptions(), KnnWeighting.InverseDistance));
        yield return ("knn-cosine-exact", classifier, ml => Knn(ml, KnnDistance.Cosine, new ExactIndexOptions()));
        yield return ("knn-l2-ivf", classifier, ml => Knn(ml, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 4, NumberOfProbes = 2 }));
        yield return ("knn-l1-ivf", classifier, ml => Knn(ml, KnnDistance.L1, new IvfIndexOptions { NumberOfLists = 4, NumberOfProbes = 2 }));
        yield return ("knn-cosine-hnsw", classifier, ml => Knn(ml, KnnDistance.Cosine, new HnswIndexOptions { MaxConnections = 8, ConstructionSearchSize = 16, SearchSize = 16 }));
        yield return ("features-softmax", classifier, ml => Key(ml)
            .Append(ml.Transforms.ExtractHogFeatures("Hog", "Pixels", cellSize: 4))
            .Append(ml.Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options { OutputColumnName = "HogTrilinear", InputColumnName = "Pixels", CellHeight = 4, CellWidth = 4, Voting = HogVoting.Trilinear }))
            .Append(ml.Transforms.ExtractColorHistogram("Hue", "Pixels"))
            .Append(ml.Transforms.Concatenate("Features", "Hog", "HogTrilinear", "Hue"))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options { Loss = LinearLoss.Softmax, Lambda = 1e-3 })));
        yield return ("features-hinge-l1", classifier, ml => Key(ml)
            .Append(ml.Transforms.ExtractHogFeatures("Features", "Pixels", cellSize: 4))
            .Append(ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options { Loss = LinearLoss.Hinge, Regularization = Regularization.L1, Lambda = 1e-3 })));
        yield return ("neighbors-l2-exact", ["Neighbors", "NeighborDistances"], ml => ml.Transforms.FindNearestNeighbors(new NearestNeighborsEstimator.Options
        {
            InputColumnName = "Pixels", OutputColumnName = "Neighbors", DistancesColumnName = "NeighborDistances", NumberOfNeighbors = 4,
        }));
    }

    private static IDataView Train(MLContext ml) => ImageData.ToDataView(ml, ImageData.Rows(120, Side, Side, seed: 11), Length);

    private static IDataView Test(MLContext ml) => ImageData.ToDataView(ml, ImageData.Rows(40, Side, Side, seed: 12), Length);

    private static void WriteOutputs(string path, List<byte[]> rows)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(rows.Count);
        foreach (var row in rows)
        {
            writer.Write(row.Length);
            writer.Write(row);
        }
    }

    private static List<byte[]> ReadOutputs(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        int count = reader.ReadInt32();
        var rows = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            rows.Add(reader.ReadBytes(reader.ReadInt32()));
        }

        return rows;
    }
}
