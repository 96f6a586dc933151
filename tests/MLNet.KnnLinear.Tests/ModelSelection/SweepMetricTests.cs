using Microsoft.ML;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.ModelSelection;

/// <summary>
/// Sweeps score by the metric they are given, with its direction: each fold's value equals ML.NET's Evaluate of the
/// same fit on the same rows, log-loss picks the lowest mean, accuracies the highest; candidates carry their settings.
/// </summary>
public sealed class SweepMetricTests
{
    private const int Dimension = 6;

    public static TheoryData<string> Metrics => ["MicroAccuracy", "MacroAccuracy", "LogLoss", "Top2Accuracy"];

    [Theory]
    [MemberData(nameof(Metrics))]
    public void ValidationSplit_EachMetric_EqualsEvaluateOfTheSameFit_AndBestFollowsItsDirection(string name)
    {
        var metric = name switch
        {
            "MicroAccuracy" => SweepMetric.MicroAccuracy,
            "MacroAccuracy" => SweepMetric.MacroAccuracy,
            "LogLoss" => SweepMetric.LogLoss,
            _ => SweepMetric.TopKAccuracy(2),
        };
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(200, Dimension, seed: 1), Dimension);
        var candidates = new[] { 1, 5, 15 }.Select(k => new SweepCandidate($"k = {k}", k, ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: k)) { Settings = k }).ToArray();

        var result = ml.MulticlassClassification.SweepByValidationSplit(data, candidates, 0.25, seed: 3, metric: metric);

        result.Metric.Should().BeSameAs(metric);
        result.Metric.Name.Should().Be(name);
        var expectedBest = metric.HigherIsBetter ? result.Candidates.Max(c => c.Mean) : result.Candidates.Min(c => c.Mean);
        result.Best.Mean.Should().Be(expectedBest);
        result.ToTable().Should().Contain(name);

        // The same split by hand: fit on the training rows, Evaluate on the held-out ones, read the metric.
        var split = new MLNet.KnnLinear.ModelSelection.RowSubsetDataView(data, MLNet.KnnLinear.ModelSelection.HyperparameterSweep.Holdout(200, 0.25, 3).Select(f => f != 0).ToArray());
        var held = new MLNet.KnnLinear.ModelSelection.RowSubsetDataView(data, MLNet.KnnLinear.ModelSelection.HyperparameterSweep.Holdout(200, 0.25, 3).Select(f => f == 0).ToArray());
        foreach (var candidate in result.Candidates)
        {
            var metrics = ml.MulticlassClassification.Evaluate(candidate.Candidate.Estimator.Fit(split).Transform(held), topKPredictionCount: metric.TopK ?? 0);
            double expected = name switch
            {
                "MicroAccuracy" => metrics.MicroAccuracy,
                "MacroAccuracy" => metrics.MacroAccuracy,
                "LogLoss" => metrics.LogLoss,
                _ => metrics.TopKAccuracy,
            };
            candidate.FoldValues.Should().Equal(expected);
            candidate.Candidate.Settings.Should().Be((int)candidate.Candidate.Parameter, "a candidate's settings come back with its result");
        }
    }

    [Fact]
    public void LogLoss_BestIsTheLowest_EvenWhereAccuracyPrefersAnother()
    {
        // k = 1 puts all probability on one class: its log-loss is huge whenever it is wrong, so log-loss prefers a
        // larger k even when 1-NN's accuracy is as good.
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(200, Dimension, seed: 4), Dimension);
        var candidates = new[] { 1, 9 }.Select(k => new SweepCandidate($"k = {k}", k, ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: k))).ToArray();

        var result = ml.MulticlassClassification.SweepByCrossValidation(data, candidates, numberOfFolds: 4, seed: 5, metric: SweepMetric.LogLoss);

        result.Best.Candidate.Parameter.Should().Be(9);
        result.Best.Mean.Should().BeLessThan(result.Candidates[0].Mean);
    }

    [Fact]
    public void NaNMean_NeverBest_WhateverItsPlace()
    {
        var estimator = new MLContext().Transforms.CopyColumns("Out", "In");
        CandidateResult Candidate(double value) => new(new SweepCandidate($"{value}", value, estimator), [value]);

        new SweepResult([Candidate(double.NaN), Candidate(0.7), Candidate(0.5)], 1, SweepMetric.LogLoss).Best.Mean.Should().Be(0.5);
        new SweepResult([Candidate(double.NaN), Candidate(0.4)], 1, SweepMetric.MicroAccuracy).Best.Mean.Should().Be(0.4);
        new SweepResult([Candidate(0.4), Candidate(double.NaN)], 1, SweepMetric.MicroAccuracy).Best.Mean.Should().Be(0.4);
    }

    [Fact]
    public void TopK_BelowOne_IsRefused()
        => FluentActions.Invoking(() => SweepMetric.TopKAccuracy(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("k");
}
