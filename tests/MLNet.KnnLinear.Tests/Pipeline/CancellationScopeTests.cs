using FluentAssertions;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Tests.Support;
using MLNet.KnnLinear.Pipeline;
using Xunit;

namespace MLNet.KnnLinear.Tests.Pipeline;

/// <summary>
/// The ambient cancellation scope: a check applies while its scope is open, nested scopes all apply, and a thread
/// that captured a scope while it was open is not cancelled by it after it ended (the leak that once failed an
/// unrelated test's Transform with another test's cancelled MLContext).
/// </summary>
public sealed class CancellationScopeTests
{
    [Fact]
    public void OpenScope_Cancelled_Throws_AndNestedScopesBothApply()
    {
        using var outerSource = new CancellationTokenSource();
        using var innerSource = new CancellationTokenSource();
        using (Cancellation.Enter(outerSource.Token))
        {
            using (Cancellation.Enter(innerSource.Token))
            {
                Cancellation.ThrowIfRequested();
                outerSource.Cancel();
                FluentActions.Invoking(Cancellation.ThrowIfRequested).Should().Throw<OperationCanceledException>();
            }

            FluentActions.Invoking(Cancellation.ThrowIfRequested).Should().Throw<OperationCanceledException>();
        }

        Cancellation.ThrowIfRequested();
    }

    [Fact]
    public void FeaturizerPass_InsideACancelledScope_StopsAtItsNextBlock()
    {
        // What a kNN fit over HoG features, or a sweep's fold, runs: our cursor's blocks look at the fit's scope.
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(
            Enumerable.Range(0, 40).Select(i => new PixelRow { Pixels = Enumerable.Range(0, 3 * 16 * 16).Select(j => (byte)((i * 7) + j)).ToArray() }),
            PixelRow.Schema(3 * 16 * 16));
        var hog = ml.Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options { OutputColumnName = "Hog", InputColumnName = "Pixels", ImageHeight = 16, ImageWidth = 16, CellHeight = 4, CellWidth = 4 }).Fit(data);
        var features = hog.Transform(data);

        features.GetColumn<VBuffer<float>>("Hog").Count().Should().Be(40, "outside any scope the pass runs");
        using var source = new CancellationTokenSource();
        source.Cancel();
        using (Cancellation.Enter(source.Token))
        {
            FluentActions.Invoking(() => features.GetColumn<VBuffer<float>>("Hog").Count()).Should().Throw<OperationCanceledException>();
        }
    }

    [Fact]
    public void ThreadStartedInsideScope_AfterScopeEnded_IsNotCancelledByIt()
    {
        using var source = new CancellationTokenSource();
        using var scopeEnded = new ManualResetEventSlim();
        Task worker;
        using (Cancellation.Enter(source.Token))
        {
            // Captures the execution context, scope included, as ML.NET's cursor threads and runners' workers do.
            worker = Task.Factory.StartNew(() =>
            {
                scopeEnded.Wait();
                Cancellation.ThrowIfRequested();
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        source.Cancel();
        scopeEnded.Set();
        FluentActions.Invoking(() => worker.GetAwaiter().GetResult()).Should().NotThrow();
    }

    [Fact]
    public void ThreadStartedInsideScope_WhileOpen_IsCancelledByIt()
    {
        using var source = new CancellationTokenSource();
        using var cancelled = new ManualResetEventSlim();
        using (Cancellation.Enter(source.Token))
        {
            var worker = Task.Factory.StartNew(() =>
            {
                cancelled.Wait();
                Cancellation.ThrowIfRequested();
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            source.Cancel();
            cancelled.Set();
            FluentActions.Invoking(() => worker.GetAwaiter().GetResult()).Should().Throw<OperationCanceledException>();
        }
    }
}

/// <summary>A row of byte pixels for the featurizer-pass test.</summary>
public sealed class PixelRow
{
    public byte[] Pixels { get; set; } = [];

    public static SchemaDefinition Schema(int length)
    {
        var schema = SchemaDefinition.Create(typeof(PixelRow));
        schema[nameof(Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Byte, length);
        return schema;
    }
}
