using Microsoft.ML;
using MLNet.KnnLinear.Tests.Conformance;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Linear;

/// <summary>Softmax + L2 with the quasi-Newton solver.</summary>
public sealed class LinearSoftmaxConformanceTests : LinearConformanceTests
{
    public LinearSoftmaxConformanceTests()
        : base(new() { Loss = LinearLoss.Softmax, Regularization = Regularization.L2, Lambda = 1e-2 })
    {
    }
}

/// <summary>Hinge + elastic net (OWL-QN on the smoothed hinge).</summary>
public sealed class LinearHingeConformanceTests : LinearConformanceTests
{
    public LinearHingeConformanceTests()
        : base(new() { Loss = LinearLoss.Hinge, Regularization = Regularization.ElasticNet, Lambda = 1e-2, NumberOfThreads = 1 })
    {
    }
}

/// <summary>Softmax + L1 with streaming mini-batch SGD and early stopping.</summary>
public sealed class LinearSgdConformanceTests : LinearConformanceTests
{
    public LinearSgdConformanceTests()
        : base(new() { Loss = LinearLoss.Softmax, Regularization = Regularization.L1, Lambda = 1e-3, Solver = LinearSolver.MiniBatchSgd, BatchSize = 16, NumberOfEpochs = 5, LearningRate = 0.01, ValidationFraction = 0.2 })
    {
    }
}

public abstract class LinearConformanceTests(LinearClassifierTrainer.Options options) : EstimatorConformanceTests
{
    private const int Dimension = 6;

    protected override object? Options => options;

    protected override string[] OutputColumns => ["Score", "PredictedLabel"];

    protected override IEstimator<ITransformer> CreateEstimator(MLContext ml) => ml.MulticlassClassification.Trainers.LinearClassifier(options);

    protected override IDataView TrainData(MLContext ml) => SyntheticData.Keyed(ml, SyntheticData.Rows(120, Dimension, seed: 1, scale: 0.1f), Dimension);

    protected override IDataView TestData(MLContext ml) => SyntheticData.Keyed(ml, SyntheticData.Rows(40, Dimension, seed: 2, scale: 0.1f), Dimension);

    protected override IEnumerable<BadInput> BadFitInputs =>
    [
        new("label not a key", ml => SyntheticData.ToDataView(ml, SyntheticData.Rows(10, Dimension, 1), Dimension), typeof(ArgumentOutOfRangeException), "'Label'", "MapValueToKey"),
        new("features missing", ml => ml.Transforms.DropColumns("Features").Fit(TrainData(ml)).Transform(TrainData(ml)), typeof(ArgumentOutOfRangeException), "'Features'", "not found"),
        new("features not Single", ml => ml.Transforms.Conversion.ConvertType("Features", outputKind: Microsoft.ML.Data.DataKind.Double).Fit(TrainData(ml)).Transform(TrainData(ml)), typeof(ArgumentOutOfRangeException), "'Features'", "vector of Single"),
        new("empty data", ml => SyntheticData.Keyed(ml, [], Dimension), typeof(InvalidOperationException), "no rows"),
        new("NaN feature", ml => SyntheticData.Keyed(ml, WithValue(SyntheticData.Rows(10, Dimension, 1), float.NaN), Dimension), typeof(InvalidOperationException), "'Features'", "NaN"),
    ];

    protected override IEnumerable<BadInput> BadTransformInputs =>
    [
        new("features missing", ml => ml.Transforms.DropColumns("Features").Fit(TestData(ml)).Transform(TestData(ml)), typeof(ArgumentOutOfRangeException), "'Features'", "not found"),
        new("feature vector of another size", ml => SyntheticData.Keyed(ml, SyntheticData.Rows(5, Dimension + 1, 1), Dimension + 1), typeof(ArgumentOutOfRangeException), "'Features'", "7", "6"),
        new("infinite feature", ml => SyntheticData.Keyed(ml, WithValue(SyntheticData.Rows(10, Dimension, 1), float.PositiveInfinity), Dimension), typeof(InvalidOperationException), "'Features'", "Infinity"),
    ];

    [Fact]
    public void LinearClassifier_Fit_SingleClassPredictsThatClass()
    {
        var ml = NewContext();
        var rows = SyntheticData.Rows(30, Dimension, 1, scale: 0.1f);
        foreach (var row in rows)
        {
            row.Label = "cat";
        }

        var model = CreateEstimator(ml).Fit(SyntheticData.Keyed(ml, rows, Dimension));
        var predicted = ml.Data.CreateEnumerable<KeyPrediction>(model.Transform(TestData(ml)), reuseRowObject: false);
        predicted.Should().OnlyContain(p => p.PredictedLabel == 3);
    }

    [Fact]
    public void LinearClassifier_Evaluate_LearnsSeparableClasses()
    {
        var ml = NewContext();
        var model = CreateEstimator(ml).Fit(SyntheticData.Keyed(ml, SyntheticData.Rows(400, Dimension, 3, scale: 0.1f), Dimension));
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(SyntheticData.Keyed(ml, SyntheticData.Rows(200, Dimension, 4, scale: 0.1f), Dimension)));
        metrics.MicroAccuracy.Should().BeGreaterThan(0.6);
        metrics.LogLoss.Should().BeLessThan(Math.Log(4), "better than a uniform guess");
    }

    private static LabelledRow[] WithValue(LabelledRow[] rows, float value)
    {
        rows[^1].Features[2] = value;
        return rows;
    }

    private sealed class KeyPrediction
    {
        [Microsoft.ML.Data.KeyType(4)]
        public uint PredictedLabel { get; set; }
    }
}
