using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace MLNet.KnnLinear.Tests.Conformance;

/// <summary>Both trainers are ITrainerEstimators, as every built-in trainer is, and say truthfully what they want.</summary>
public sealed class TrainerInfoTests
{
    [Fact]
    public void Knn_IsATrainerEstimator_ReadingTheDataOnce()
    {
        var ml = new MLContext(seed: 1);
        ITrainerEstimator<KnnPredictionTransformer, KnnModelParameters> trainer = ml.MulticlassClassification.Trainers.Knn();
        trainer.Info.WantCaching.Should().BeFalse("the rows are read once, into the index");
        trainer.Info.NeedNormalization.Should().BeFalse("distances on the features as given (raw pixels)");
    }

    [Theory]
    [InlineData(LinearSolver.QuasiNewton, false)]
    [InlineData(LinearSolver.MiniBatchSgd, true)]
    public void Linear_IsATrainerEstimator_WantingNormalisedFeatures(LinearSolver solver, bool caching)
    {
        var ml = new MLContext(seed: 1);
        ITrainerEstimator<LinearPredictionTransformer, LinearModelParameters> trainer = ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options { Solver = solver });
        trainer.Info.NeedNormalization.Should().BeTrue();
        trainer.Info.WantCaching.Should().Be(caching, "SGD reads the data every epoch; the full-batch solvers once");
        // TrainerInfo.SupportsValidation is internal in ML.NET (its trainers' Fit(train, validation) is what users see).
        var supportsValidation = typeof(TrainerInfo).GetProperty("SupportsValidation", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)!;
        supportsValidation.GetValue(trainer.Info).Should().Be(caching, "only SGD stops early on a validation set");
    }
}
