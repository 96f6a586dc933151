using FluentAssertions;
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
