using Microsoft.ML;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Linear;

/// <summary>
/// <c>Fit(train, validation)</c>, as LightGbm has it: mini-batch SGD stops early on the validation set's loss and
/// keeps its best epoch, training on every training row; the full-batch solver and a mismatched set are refused.
/// </summary>
public sealed class ValidationSetTests
{
    private const int Dimension = 6;

    [Fact]
    public void Sgd_ValidationSetOfRandomLabels_StopsEarly_AndKeepsTheBestEpoch()
    {
        var ml = new MLContext(seed: 1);
        var train = SyntheticData.Keyed(ml, SyntheticData.Rows(300, Dimension, seed: 1), Dimension);
        // Validation labels unrelated to the features: its loss soon stops improving while training's keeps falling.
        var rows = SyntheticData.Rows(200, Dimension, seed: 2);
        var random = new Random(3);
        foreach (var row in rows)
        {
            row.Label = SyntheticData.ClassNames[random.Next(4)];
        }

        var validation = SyntheticData.Keyed(ml, rows, Dimension);
        var options = new LinearClassifierTrainer.Options
        {
            Loss = LinearLoss.Softmax, Solver = LinearSolver.MiniBatchSgd, LearningRate = 0.05, NumberOfEpochs = 200, BatchSize = 16, Lambda = 1e-5, EarlyStoppingPatience = 3,
        };

        var model = ml.MulticlassClassification.Trainers.LinearClassifier(options).Fit(train, validation);

        model.Model.Trace!.StopReason.Should().StartWith("early stopping");
        model.Model.Trace.Objective.Count.Should().BeLessThan(200);
    }

    [Fact]
    public void Sgd_ValidationSetLikeTheTrainingData_SameModelAsWithoutIt_WhenNoEarlyStop()
    {
        // A validation set only decides when to stop and which epoch to keep: with patience beyond the epochs and a
        // loss that keeps falling on it, the weights are those of the plain fit over every training row.
        var ml = new MLContext(seed: 1);
        var train = SyntheticData.Keyed(ml, SyntheticData.Rows(300, Dimension, seed: 4), Dimension);
        var options = new LinearClassifierTrainer.Options
        {
            Loss = LinearLoss.Softmax, Solver = LinearSolver.MiniBatchSgd, LearningRate = 0.005, NumberOfEpochs = 8, BatchSize = 32, Lambda = 1e-4, EarlyStoppingPatience = 100, ValidationFraction = 0,
        };

        var plain = ml.MulticlassClassification.Trainers.LinearClassifier(options).Fit(train);
        var validated = ml.MulticlassClassification.Trainers.LinearClassifier(options).Fit(train, train);

        validated.Model.Trace!.Objective.Should().Equal(plain.Model.Trace!.Objective, "every training row is trained on, in the same order");
    }

    [Fact]
    public void ValidationSetWithoutLabelledRows_IsRefused_InsteadOfStoppingOnNothing()
    {
        var ml = new MLContext(seed: 1);
        var train = SyntheticData.Keyed(ml, SyntheticData.Rows(100, Dimension, seed: 8), Dimension);
        // Labels outside the key's values map to key 0 (missing): no row of this set counts.
        var unlabelled = SyntheticData.Keyed(ml, SyntheticData.Rows(20, Dimension, seed: 9).Select(r => new LabelledRow { Label = "unknown", Features = r.Features }), Dimension);

        FluentActions.Invoking(() => ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options { Solver = LinearSolver.MiniBatchSgd, NumberOfEpochs = 5 }).Fit(train, unlabelled))
            .Should().Throw<InvalidOperationException>().WithMessage("*validation set has no labelled row*");
    }

    [Fact]
    public void QuasiNewton_WithValidationSet_IsRefusedNamingTheSolver()
    {
        var ml = new MLContext(seed: 1);
        var train = SyntheticData.Keyed(ml, SyntheticData.Rows(100, Dimension, seed: 5), Dimension);

        FluentActions.Invoking(() => ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options()).Fit(train, train))
            .Should().Throw<InvalidOperationException>().WithMessage("*Solver*QuasiNewton*MiniBatchSgd*");
    }

    [Fact]
    public void ValidationSetWithOtherFeatureSize_IsRefusedNamingTheColumn()
    {
        var ml = new MLContext(seed: 1);
        var train = SyntheticData.Keyed(ml, SyntheticData.Rows(100, Dimension, seed: 6), Dimension);
        var other = SyntheticData.Keyed(ml, SyntheticData.Rows(50, Dimension + 1, seed: 7), Dimension + 1);

        FluentActions.Invoking(() => ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options { Solver = LinearSolver.MiniBatchSgd }).Fit(train, other))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Feature column 'Features'*validation set*");
    }
}
