using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Pipeline;
using MLNet.KnnLinear.Tests.Support;
using Xunit.Abstractions;

namespace MLNet.KnnLinear.Tests.Pipeline;

/// <summary>Tests that change <see cref="KnnLinearParallelism"/> or count the process's threads run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessThreadsCollection
{
    public const string Name = "Process threads (run alone)";
}

/// <summary>
/// The library's shared workers: no thread started per call (10,000 predictions leave the thread count flat),
/// concurrent prediction engines give the same bits as one, and the pool neither deadlocks on nested calls nor
/// loses a failure.
/// </summary>
[Collection(ProcessThreadsCollection.Name)]
public sealed class WorkerPoolTests(ITestOutputHelper output)
{
    private const int Dimension = 16;

    [Fact]
    public void TenThousandPredictions_StartNoThread_AndProcessThreadCountStaysFlat()
    {
        var (ml, model) = FitKnn(rows: 20_000);
        var queries = SyntheticData.Rows(10_000, Dimension, seed: 12);
        var engine = ml.Model.CreatePredictionEngine<LabelledRow, Prediction>(model, inputSchemaDefinition: Schema());
        for (int i = 0; i < 100; i++)
        {
            engine.Predict(queries[i]);
        }

        long startedBefore = WorkerPool.ThreadsStarted;
        int threadsBefore = Process.GetCurrentProcess().Threads.Count;
        foreach (var query in queries)
        {
            engine.Predict(query);
        }

        int threadsAfter = Process.GetCurrentProcess().Threads.Count;
        output.WriteLine($"process threads {threadsBefore} → {threadsAfter} over 10,000 predictions (20,000 rows: each search split over the cores); library workers started: {startedBefore} → {WorkerPool.ThreadsStarted}");
        WorkerPool.ThreadsStarted.Should().Be(startedBefore, "a prediction reuses the shared workers");
        startedBefore.Should().BeLessThanOrEqualTo(Math.Max(Environment.ProcessorCount, 64), "the workers are bounded");
        threadsAfter.Should().BeLessThanOrEqualTo(threadsBefore + 2, "no thread is started per call (the runtime may add one or two of its own)");
    }

    [Fact]
    public void AnIndexSearchedOnTheWorkers_IsCollectedOnceDropped()
    {
        // Two threads at least, so the search runs on the shared workers (rows split over them).
        var saved = KnnLinearParallelism.MaxDegreeOfParallelism;
        KnnLinearParallelism.MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount);
        try
        {
            var dropped = SearchAndDrop();
            for (int i = 0; i < 3 && dropped.IsAlive; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            dropped.IsAlive.Should().BeFalse("a worker that ran the last call must not keep its delegate, and through it the index, alive");
        }
        finally
        {
            KnnLinearParallelism.MaxDegreeOfParallelism = saved;
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference SearchAndDrop()
    {
        var random = new Random(3);
        var rows = new byte[20_000 * Dimension];
        random.NextBytes(rows);
        var index = NeighborIndex.Create(Dimension, KnnDistance.L2);
        index.Add(rows);
        var ids = new long[10];
        index.Search(rows.AsSpan(0, 2 * Dimension).ToArray().Select(b => (float)b).ToArray(), 5, ids, new float[10]);
        ids[0].Should().Be(0);
        return new WeakReference(index);
    }

    [Fact]
    public void FourConcurrentEngines_BitIdenticalToOneEngine_AndToOneThread()
    {
        var (ml, model) = FitKnn(rows: 12_000);
        var queries = SyntheticData.Rows(400, Dimension, seed: 13);
        var one = ml.Model.CreatePredictionEngine<LabelledRow, Prediction>(model, inputSchemaDefinition: Schema());
        var expected = queries.Select(q => Copy(one.Predict(q))).ToArray();

        var actual = new Prediction[queries.Length];
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, engineIndex =>
        {
            var engine = ml.Model.CreatePredictionEngine<LabelledRow, Prediction>(model, inputSchemaDefinition: Schema());
            for (int i = engineIndex; i < queries.Length; i += 4)
            {
                actual[i] = Copy(engine.Predict(queries[i]));
            }
        });

        var serial = WithParallelism(1, () => queries.Select(q => Copy(one.Predict(q))).ToArray());
        for (int i = 0; i < queries.Length; i++)
        {
            actual[i].PredictedLabel.Should().Be(expected[i].PredictedLabel, $"row {i}");
            actual[i].Score.Should().Equal(expected[i].Score, $"row {i}");
            serial[i].Score.Should().Equal(expected[i].Score, $"row {i} on one thread");
        }
    }

    [Fact]
    public async Task NestedCalls_WithEveryWorkerBusy_Finish()
    {
        long total = 0;
        var run = Task.Run(() => ParallelRanges.Run(8, outer =>
        {
            ParallelRanges.Run(8, inner =>
            {
                Thread.Sleep(1);
                Interlocked.Add(ref total, (outer * 8) + inner);
            });
        }));

        await run.WaitAsync(TimeSpan.FromSeconds(30)); // TimeoutException on a deadlock: a caller runs its own items when no worker is free

        total.Should().Be(Enumerable.Range(0, 64).Sum());
    }

    [Fact]
    public void FailingItems_OneFailureRethrownAsItself_SeveralAsAggregate()
    {
        FluentActions.Invoking(() => ParallelRanges.Run(4, i =>
        {
            if (i == 2)
            {
                throw new InvalidDataException("item 2");
            }
        })).Should().Throw<InvalidDataException>().WithMessage("item 2");

        Exception? caught = null;
        try
        {
            ParallelRanges.Run(2, i =>
            {
                Thread.Sleep(50);
                throw new InvalidOperationException($"item {i}");
            });
        }
        catch (Exception e)
        {
            caught = e;
        }

        // Two items on two threads both fail; on one thread the first failure stops the rest.
        var failures = caught is AggregateException all ? all.InnerExceptions : (IEnumerable<Exception>)[caught!];
        failures.Should().NotBeEmpty().And.AllBeOfType<InvalidOperationException>();
    }

    [Fact]
    public void OneThread_RunsEveryItemOnTheCaller_AndOutOfRangeSettingIsRefused()
    {
        var threads = WithParallelism(1, () =>
        {
            var seen = new System.Collections.Concurrent.ConcurrentBag<int>();
            ParallelRanges.Run(16, _ => seen.Add(Environment.CurrentManagedThreadId));
            return seen.Distinct().ToArray();
        });
        threads.Should().Equal(Environment.CurrentManagedThreadId);

        FluentActions.Invoking(() => KnnLinearParallelism.MaxDegreeOfParallelism = 0)
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MaxDegreeOfParallelism");
        KnnLinearParallelism.MaxDegreeOfParallelism.Should().Be(Environment.ProcessorCount);
    }

    private static T WithParallelism<T>(int threads, Func<T> work)
    {
        int before = KnnLinearParallelism.MaxDegreeOfParallelism;
        KnnLinearParallelism.MaxDegreeOfParallelism = threads;
        try
        {
            return work();
        }
        finally
        {
            KnnLinearParallelism.MaxDegreeOfParallelism = before;
        }
    }

    private static (MLContext Ml, ITransformer Model) FitKnn(int rows)
    {
        var ml = new MLContext(seed: 1);
        var pipeline = SyntheticData.LabelToKey(ml).Append(ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 5));
        return (ml, pipeline.Fit(SyntheticData.ToDataView(ml, SyntheticData.Rows(rows, Dimension, seed: 11), Dimension)));
    }

    private static Prediction Copy(Prediction p) => new() { PredictedLabel = p.PredictedLabel, Score = [.. p.Score] };

    private static SchemaDefinition Schema()
    {
        var schema = SchemaDefinition.Create(typeof(LabelledRow));
        schema[nameof(LabelledRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Dimension);
        return schema;
    }

    private sealed class Prediction
    {
        public uint PredictedLabel { get; set; }

        public float[] Score { get; set; } = [];
    }
}
