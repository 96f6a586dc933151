using Microsoft.ML;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Linear;

/// <summary>Mini-batch SGD converges on learnable data, stops early when validation stops improving, and fails loudly when it diverges.</summary>
public sealed class MiniBatchSgdTests
{
    private const int Dimension = 6;

    [Theory]
    [InlineData(LinearLoss.Softmax)]
    [InlineData(LinearLoss.Hinge)]
    [InlineData(LinearLoss.SquaredHinge)]
    [InlineData(LinearLoss.OneVersusRestSquaredHinge)]
    public void Sgd_LearningRate1e6_ThrowsDivergedNamingLearningRate(LinearLoss loss)
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(200, Dimension, seed: 1), Dimension);
        var trainer = ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options
        {
            Loss = loss, Solver = LinearSolver.MiniBatchSgd, LearningRate = 1e6, NumberOfEpochs = 10, BatchSize = 16, Lambda = 1e-3,
        });

        FluentActions.Invoking(() => trainer.Fit(data)).Should().Throw<InvalidOperationException>().WithMessage("*diverged*LearningRate*1E+06*");
    }

    [Fact]
    public void Sgd_SaneLearningRate_ObjectiveFallsAndTrainingAccuracyIsHigh()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(400, Dimension, seed: 1), Dimension);
        var model = ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options
        {
            Loss = LinearLoss.Softmax, Solver = LinearSolver.MiniBatchSgd, LearningRate = 0.01, NumberOfEpochs = 30, BatchSize = 32, Lambda = 1e-4,
        }).Fit(data);

        var objective = model.Model.Trace!.Objective;
        objective.Should().HaveCount(30, "no validation fraction: every epoch runs");
        objective[^1].Should().BeLessThan(objective[0], "the objective must fall");
        objective[^1].Should().BeLessThan(0.5 * Math.Log(4), "to well below the loss at zero weights (ln 4 for 4 classes)");
        objective.Skip(20).Max().Should().BeLessThan(objective.Take(3).Min(), "and stay down");
        model.Model.Trace.StopReason.Should().Be("all epochs done");
        ml.MulticlassClassification.Evaluate(model.Transform(data)).MicroAccuracy.Should().BeGreaterThan(0.75, "far above chance (0.25) on learnable classes");
    }

    [Fact]
    public void Sgd_ValidationStopsImproving_StopsEarlyAndKeepsTheBestWeights()
    {
        var ml = new MLContext(seed: 1);

        // Random labels: nothing generalises, so validation loss stops improving after a few epochs.
        var rows = SyntheticData.Rows(300, Dimension, seed: 5);
        var random = new Random(9);
        foreach (var row in rows)
        {
            row.Label = SyntheticData.ClassNames[random.Next(4)];
        }

        var data = SyntheticData.Keyed(ml, rows, Dimension);
        var model = ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options
        {
            Loss = LinearLoss.Softmax, Solver = LinearSolver.MiniBatchSgd, LearningRate = 0.002, NumberOfEpochs = 200, BatchSize = 16, Lambda = 0,
            ValidationFraction = 0.3, EarlyStoppingPatience = 3,
        }).Fit(data);

        model.Model.Trace!.StopReason.Should().StartWith("early stopping");
        model.Model.Trace.Objective.Count.Should().BeLessThan(200);
    }
}
