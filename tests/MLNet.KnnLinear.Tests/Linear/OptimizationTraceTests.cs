using Microsoft.ML;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Linear;

public sealed class OptimizationTraceTests
{
    [Fact]
    public void OptimizationTrace_HingeSmoothingStages_ElapsedSecondsCountFromTheStartOfTraining()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(3000, 40, seed: 1), 40);
        var trace = ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options { Loss = LinearLoss.Hinge, Lambda = 1e-3, NumberOfThreads = 1 })
            .Fit(data).Model.Trace!;

        var seconds = trace.ElapsedSeconds;
        seconds.Should().HaveCount(trace.Objective.Count);
        for (int i = 1; i < seconds.Count; i++)
        {
            seconds[i].Should().BeGreaterThanOrEqualTo(seconds[i - 1], $"entry {i}: the hinge's smoothing stages share one clock");
        }
    }

    [Fact]
    public void OptimizationTrace_Append_ShiftsTheLaterTraceOntoTheEarlierClock()
    {
        var first = new OptimizationTrace();
        Thread.Sleep(30);
        var second = new OptimizationTrace();
        second.Add(1, 1);
        first.Add(2, 2);
        first.Append(second);

        first.ElapsedSeconds[1].Should().BeGreaterThanOrEqualTo(0.03, "the second trace started 30 ms after the first");
    }
}
