using System.Diagnostics;
using System.Reflection;
using Microsoft.ML;
using MLNet.KnnLinear.Tests.Search;
using MLNet.KnnLinear.Tests.Support;
using Xunit.Abstractions;

namespace MLNet.KnnLinear.Tests.Pipeline;

/// <summary>
/// Long work stops when asked: index builds, trains and adds through a CancellationToken, and the trainers through
/// ML.NET's own cancellation of the MLContext (what Microsoft.ML.Experimental's <c>CancelExecution</c> calls: the
/// context's internal <c>CancelExecution</c>, reached here by reflection as that package is not served). Each stops
/// within 2 s with <see cref="OperationCanceledException"/>, and a cancelled add leaves the index as it was.
/// </summary>
[Collection(ProcessThreadsCollection.Name)] // timed: run alone, not beside the suite's other work on 2 cores
public sealed class CancellationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);

    [Fact]
    public void HnswBuildOf400kRows_TokenCancelled_StopsWithin2s_AndAnAddIsAllOrNothing()
    {
        var rows = IvfIndexTests.Clustered(400_000, 16, centers: 50, seed: 1);
        var index = NeighborIndex.Create(16, KnnDistance.L2, new HnswIndexOptions { MaxConnections = 16, ConstructionSearchSize = 64 });
        index.Add(rows.AsSpan(0, 2000 * 16));
        var before = Search(index, rows.AsSpan(0, 20 * 16).ToArray());

        // Cancelled from a thread of its own: CancellationTokenSource's timer needs a free thread-pool thread, and the
        // test runner keeps the pool busy enough here to delay it by seconds, which would time the pool, not the index.
        using var source = new CancellationTokenSource();
        var canceller = new Thread(() =>
        {
            Thread.Sleep(300);
            source.Cancel();
        });
        var watch = Stopwatch.StartNew();
        canceller.Start();
        FluentActions.Invoking(() => index.Add(rows.AsSpan(2000 * 16), source.Token)).Should().Throw<OperationCanceledException>();
        var afterCancel = watch.Elapsed - TimeSpan.FromMilliseconds(300);
        output.WriteLine($"HNSW add of 398,000 rows cancelled after 0.3 s; stopped {afterCancel.TotalMilliseconds:F0} ms later");
        afterCancel.Should().BeLessThan(Limit);

        index.Count.Should().Be(2000, "the cancelled add did not happen");
        Search(index, rows.AsSpan(0, 20 * 16).ToArray()).Should().Equal(before, "the graph is as it was");
        index.Add(rows.AsSpan(2000 * 16, 100 * 16));
        index.Count.Should().Be(2100, "the index still grows after a cancelled add");
    }

    [Fact]
    public void IvfTrain_TokenAlreadyCancelled_Throws_AndStaysUntrained()
    {
        var rows = IvfIndexTests.Clustered(5000, 8, centers: 10, seed: 2);
        var index = NeighborIndex.Create(8, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 16 });
        FluentActions.Invoking(() => index.Train(rows, new CancellationToken(canceled: true))).Should().Throw<OperationCanceledException>();
        index.IsTrained.Should().BeFalse();
    }

    [Fact]
    public void KnnFit_HnswOver400kRows_MlContextCancelled_StopsWithin2s()
    {
        var ml = new MLContext(seed: 1);
        var rows = IvfIndexTests.Clustered(400_000, 16, centers: 50, seed: 3);
        var data = SyntheticData.Keyed(ml, Enumerable.Range(0, 400_000).Select(i => new LabelledRow { Label = SyntheticData.ClassNames[i % 4], Features = rows.AsSpan(i * 16, 16).ToArray() }), 16);
        var trainer = ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { Index = new HnswIndexOptions { MaxConnections = 16, ConstructionSearchSize = 64 } });

        var elapsed = CancelAfter(ml, TimeSpan.FromSeconds(1), () => trainer.Fit(data));
        output.WriteLine($"kNN fit (HNSW over 400,000 rows) cancelled through the MLContext after 1 s; stopped {elapsed.TotalMilliseconds:F0} ms later");
        elapsed.Should().BeLessThan(Limit);
    }

    [Fact]
    public void LinearFit_Sgd500Epochs_MlContextCancelled_StopsWithin2s()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(60_000, 64, seed: 4), 64);
        var trainer = ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options
        {
            Solver = LinearSolver.MiniBatchSgd, NumberOfEpochs = 500, Lambda = 1e-4, ValidationFraction = 0,
        });

        var elapsed = CancelAfter(ml, TimeSpan.FromSeconds(1), () => trainer.Fit(data));
        output.WriteLine($"SGD fit of 500 epochs cancelled through the MLContext after 1 s; stopped {elapsed.TotalMilliseconds:F0} ms later");
        elapsed.Should().BeLessThan(Limit);
    }

    /// <summary>Runs <paramref name="work"/>, cancels <paramref name="ml"/> after <paramref name="delay"/>, and returns how long the work took to stop after that.</summary>
    private static TimeSpan CancelAfter(MLContext ml, TimeSpan delay, Action work)
    {
        var cancel = typeof(MLContext).GetMethod("CancelExecution", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            ?? throw new InvalidOperationException("MLContext.CancelExecution (what Microsoft.ML.Experimental calls) is not there in this ML.NET.");
        var watch = Stopwatch.StartNew();
        var task = Task.Run(work);
        task.Wait(delay).Should().BeFalse("the work must still be running when it is cancelled");
        cancel.Invoke(ml, null);
        var cancelledAt = watch.Elapsed;
        FluentActions.Invoking(() => task.GetAwaiter().GetResult()).Should().Throw<OperationCanceledException>();
        return watch.Elapsed - cancelledAt;
    }

    private static long[] Search(NeighborIndex index, float[] queries)
    {
        var ids = new long[queries.Length / index.Dimension * 5];
        index.Search(queries, 5, ids, new float[ids.Length]);
        return ids;
    }
}
