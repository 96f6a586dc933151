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

/// <summary>One-versus-rest squared hinge (LinearSVC's loss) + L2 with the quasi-Newton solver.</summary>
public sealed class LinearOneVersusRestSquaredHingeConformanceTests : LinearConformanceTests
{
    public LinearOneVersusRestSquaredHingeConformanceTests()
        : base(new() { Loss = LinearLoss.OneVersusRestSquaredHinge, Regularization = Regularization.L2, Lambda = 1e-2 })
    {
    }
}

/// <summary>Weston–Watkins squared hinge + L1 with streaming mini-batch SGD.</summary>
public sealed class LinearSquaredHingeSgdConformanceTests : LinearConformanceTests
{
    public LinearSquaredHingeSgdConformanceTests()
        : base(new() { Loss = LinearLoss.SquaredHinge, Regularization = Regularization.L1, Lambda = 1e-3, Solver = LinearSolver.MiniBatchSgd, BatchSize = 16, NumberOfEpochs = 5, LearningRate = 0.01 })
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

public abstract class LinearConformanceTests(LinearClassifierTrainer.Options options) : ClassifierConformanceTests
{
    private const int Dimension = 6;

    protected override object? Options => options;

    protected override IEstimator<ITransformer> CreateEstimator(MLContext ml) => ml.MulticlassClassification.Trainers.LinearClassifier(options);

    protected override IDataView TrainData(MLContext ml) => SyntheticData.Keyed(ml, SyntheticData.Rows(120, Dimension, seed: 1, scale: 0.1f), Dimension);

    protected override IDataView TestData(MLContext ml) => SyntheticData.Keyed(ml, SyntheticData.Rows(40, Dimension, seed: 2, scale: 0.1f), Dimension);

    protected override IEnumerable<BadInput> BadFitInputs => BadInputs.Fit;

    protected override IEnumerable<BadInput> BadTransformInputs => BadInputs.Transform;

    private ClassifierBadInputs BadInputs => new(Dimension, TrainData, TestData);

    [Fact]
    public void LinearClassifier_Fit_SingleClassOrZeroWeightsFailClearly()
    {
        var ml = NewContext();
        var rows = SyntheticData.Rows(30, Dimension, 1, scale: 0.1f);
        foreach (var row in rows)
        {
            row.Label = "cat";
        }

        FluentActions.Invoking(() => CreateEstimator(ml).Fit(SyntheticData.Keyed(ml, rows, Dimension)))
            .Should().Throw<InvalidOperationException>().WithMessage("*'Label'*single class*");

        var zeroWeights = ml.Data.LoadFromEnumerable(SyntheticData.Rows(20, Dimension, 1, scale: 0.1f).Select(r => new WeightedRow { Label = r.Label, Features = r.Features, Weight = 0f }), WeightedSchema());
        var keyed = SyntheticData.LabelToKey(ml).Fit(zeroWeights).Transform(zeroWeights);
        var weightedOptions = new LinearClassifierTrainer.Options { ExampleWeightColumnName = "Weight", Solver = options.Solver, NumberOfEpochs = 1 };
        FluentActions.Invoking(() => ml.MulticlassClassification.Trainers.LinearClassifier(weightedOptions).Fit(keyed))
            .Should().Throw<InvalidOperationException>().WithMessage("*'Weight' is 0*");
    }

    [Fact]
    public void LinearClassifier_NegativeOrNaNWeight_FailsNamingTheColumn()
    {
        var ml = NewContext();
        foreach (float bad in new[] { -1f, float.NaN })
        {
            var rows = SyntheticData.Rows(20, Dimension, 1, scale: 0.1f).Select((r, i) => new WeightedRow { Label = r.Label, Features = r.Features, Weight = i == 5 ? bad : 1f });
            var data = ml.Data.LoadFromEnumerable(rows, WeightedSchema());
            var keyed = SyntheticData.LabelToKey(ml).Fit(data).Transform(data);
            var weightedOptions = new LinearClassifierTrainer.Options { ExampleWeightColumnName = "Weight", Solver = options.Solver, NumberOfEpochs = 1 };
            FluentActions.Invoking(() => ml.MulticlassClassification.Trainers.LinearClassifier(weightedOptions).Fit(keyed))
                .Should().Throw<InvalidOperationException>().WithMessage("*'Weight'*non-negative*");
        }
    }

    [Fact]
    public void LinearClassifier_OptionsOutOfRange_ThrowNamingTheOption()
    {
        var trainers = NewContext().MulticlassClassification.Trainers;
        var cases = new (string Name, LinearClassifierTrainer.Options Options)[]
        {
            ("Lambda", new() { Lambda = -1 }),
            ("L1Ratio", new() { L1Ratio = 1.5 }),
            ("Margin", new() { Margin = 0 }),
            ("LearningRate", new() { LearningRate = 0 }),
            ("BatchSize", new() { BatchSize = 0 }),
            ("Momentum", new() { Momentum = 1 }),
            ("ValidationFraction", new() { ValidationFraction = 1 }),
            ("Loss", new() { Loss = (LinearLoss)7 }),
        };
        foreach (var (name, bad) in cases)
        {
            FluentActions.Invoking(() => trainers.LinearClassifier(bad)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(name);
        }
    }

    private static Microsoft.ML.Data.SchemaDefinition WeightedSchema()
    {
        var schema = Microsoft.ML.Data.SchemaDefinition.Create(typeof(WeightedRow));
        schema[nameof(WeightedRow.Features)].ColumnType = new Microsoft.ML.Data.VectorDataViewType(Microsoft.ML.Data.NumberDataViewType.Single, Dimension);
        return schema;
    }

    private sealed class WeightedRow
    {
        public string Label { get; set; } = string.Empty;

        public float[] Features { get; set; } = [];

        public float Weight { get; set; }
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

}
