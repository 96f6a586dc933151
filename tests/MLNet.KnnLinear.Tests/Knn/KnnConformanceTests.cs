using Microsoft.ML;
using MLNet.KnnLinear.Tests.Conformance;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Knn;

/// <summary>L1 with inverse-distance votes on pixel-like data: the byte-storage, vpsadbw path.</summary>
public sealed class KnnL1ConformanceTests : KnnConformanceTests
{
    public KnnL1ConformanceTests()
        : base(new() { NumberOfNeighbors = 3, Distance = KnnDistance.L1, Weighting = KnnWeighting.InverseDistance }, scale: 1f)
    {
    }
}

/// <summary>L2 on fractional data: the GEMM path.</summary>
public sealed class KnnL2ConformanceTests : KnnConformanceTests
{
    public KnnL2ConformanceTests()
        : base(new() { NumberOfNeighbors = 3, Distance = KnnDistance.L2 }, scale: 0.37f)
    {
    }
}

/// <summary>Cosine on fractional data with one thread.</summary>
public sealed class KnnCosineConformanceTests : KnnConformanceTests
{
    public KnnCosineConformanceTests()
        : base(new() { NumberOfNeighbors = 3, Distance = KnnDistance.Cosine, NumberOfThreads = 1 }, scale: 0.37f)
    {
    }
}

/// <summary>An inverted file (4 lists, 2 probes) under L2: approximate search through every conformance check, save/load and state fuzz included.</summary>
public sealed class KnnIvfL2ConformanceTests : KnnConformanceTests
{
    public KnnIvfL2ConformanceTests()
        : base(new() { NumberOfNeighbors = 3, Distance = KnnDistance.L2, Index = new IvfIndexOptions { NumberOfLists = 4, NumberOfProbes = 2 } }, scale: 0.37f)
    {
    }
}

/// <summary>An inverted file under L1 on pixel-like data (byte lists).</summary>
public sealed class KnnIvfL1ConformanceTests : KnnConformanceTests
{
    public KnnIvfL1ConformanceTests()
        : base(new() { NumberOfNeighbors = 3, Distance = KnnDistance.L1, Weighting = KnnWeighting.InverseDistance, Index = new IvfIndexOptions { NumberOfLists = 5, NumberOfProbes = 5, Seed = 3 } }, scale: 1f)
    {
    }
}

/// <summary>An HNSW graph (M = 4) under cosine: approximate search through every conformance check, save/load and state fuzz included.</summary>
public sealed class KnnHnswCosineConformanceTests : KnnConformanceTests
{
    public KnnHnswCosineConformanceTests()
        : base(new() { NumberOfNeighbors = 3, Distance = KnnDistance.Cosine, Index = new HnswIndexOptions { MaxConnections = 4, ConstructionSearchSize = 16, SearchSize = 16 } }, scale: 0.37f)
    {
    }
}

public abstract class KnnConformanceTests : ClassifierConformanceTests
{
    private const int Dimension = 6;

    private readonly KnnTrainer.Options _options;
    private readonly float _scale;

    protected KnnConformanceTests(KnnTrainer.Options options, float scale)
    {
        _options = options;
        _scale = scale;
    }

    protected override object? Options => _options;

    protected override IEstimator<ITransformer> CreateEstimator(MLContext ml) => ml.MulticlassClassification.Trainers.Knn(_options);

    protected override IDataView TrainData(MLContext ml) => SyntheticData.Keyed(ml, SyntheticData.Rows(120, Dimension, seed: 1, scale: _scale), Dimension);

    protected override IDataView TestData(MLContext ml) => SyntheticData.Keyed(ml, SyntheticData.Rows(40, Dimension, seed: 2, scale: _scale), Dimension);

    /// <summary>More rows than the test data, so that k = 3 votes among 4 classes tie (1-1-1) on several of them.</summary>
    protected override IDataView AgreementData(MLContext ml) => SyntheticData.Keyed(ml, SyntheticData.Rows(200, Dimension, seed: 3, scale: _scale), Dimension);

    protected override IEnumerable<BadInput> BadFitInputs => BadInputs.Fit
        .Append(new BadInput("fewer rows than k", ml => SyntheticData.Keyed(ml, SyntheticData.Rows(2, Dimension, 1), Dimension), typeof(ArgumentOutOfRangeException), "NumberOfNeighbors", "3", "2"));

    protected override IEnumerable<BadInput> BadTransformInputs => BadInputs.Transform;

    private ClassifierBadInputs BadInputs => new(Dimension, TrainData, TestData);

    protected override string? OnnxRefusal => _options.Index switch
    {
        IvfIndexOptions => "Knn with Index = IvfIndexOptions",
        HnswIndexOptions => "Knn with Index = HnswIndexOptions",
        _ => null,
    };

    /// <summary>
    /// Rows whose k + 1 nearest distances include two within 1e-4 relative: the model ranks float32 distances
    /// (these features are fractional), the graph double, so such neighbours may swap.
    /// </summary>
    protected override ISet<int> OnnxTiedRows(ITransformer transformer, IDataView test)
    {
        var model = ((KnnPredictionTransformer)transformer).Model;
        var features = OnnxScoring.ReadColumn(test, "Features");
        var tied = new HashSet<int>();
        for (int row = 0; row < features.Count; row++)
        {
            if (Onnx.OnnxAgreement.HasNeighbourTie(model, features[row]))
            {
                tied.Add(row);
            }
        }

        return tied;
    }

    [Fact]
    public void Knn_Fit_SingleClass_PredictsThatClass()
    {
        var ml = NewContext();
        var rows = SyntheticData.Rows(20, Dimension, 1);
        foreach (var row in rows)
        {
            row.Label = "bee";
        }

        var transformer = CreateEstimator(ml).Fit(SyntheticData.Keyed(ml, rows, Dimension));
        var predicted = ml.Data.CreateEnumerable<Prediction>(
            ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(transformer.Transform(TestData(ml))).Transform(transformer.Transform(TestData(ml))),
            reuseRowObject: false).ToList();

        predicted.Should().OnlyContain(p => p.PredictedLabel == "bee" && p.Score[1] == 1f);
    }

    private sealed class Prediction
    {
        public string PredictedLabel { get; set; } = string.Empty;

        public float[] Score { get; set; } = [];
    }
}
