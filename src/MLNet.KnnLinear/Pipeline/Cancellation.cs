namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// Cancellation of long loops (k-means iterations, HNSW insertion batches, rows read into an index, optimizer
/// iterations and SGD epochs, sweep candidates): the entry point that owns a cancellation source (a trainer's
/// <c>Fit</c> with ML.NET's host, whose <c>CheckAlive</c> is what <c>MLContext</c> cancellation sets; a
/// <see cref="NeighborIndex"/> method with a <see cref="CancellationToken"/>) enters a scope, and the loops below it
/// call <see cref="ThrowIfRequested"/> once per unit of work (each well under a second), which throws
/// <see cref="OperationCanceledException"/>. The scope is ambient (an <see cref="AsyncLocal{T}"/>, which flows into
/// the worker threads the loops start), so the pure computations need no extra parameter.
/// </summary>
internal static class Cancellation
{
    private static readonly AsyncLocal<Check?> Current = new();

    /// <summary>Throws <see cref="OperationCanceledException"/> when any scope this code runs in is cancelled.</summary>
    public static void ThrowIfRequested() => Current.Value?.Run();

    /// <summary>Enters a scope whose check is <paramref name="throwIfCancelled"/> (nested in the current one).</summary>
    public static Scope Enter(Action throwIfCancelled)
    {
        var outer = Current.Value;
        Current.Value = new Check(throwIfCancelled, outer);
        return new Scope(outer);
    }

    /// <summary>Enters a scope cancelled by <paramref name="token"/> (nothing to enter when it cannot be cancelled).</summary>
    public static Scope Enter(CancellationToken token)
        => token.CanBeCanceled ? Enter(token.ThrowIfCancellationRequested) : new Scope(Current.Value);

    /// <summary>Leaves the scope (restores the one around it) when disposed.</summary>
    internal readonly struct Scope(Check? outer) : IDisposable
    {
        public void Dispose() => Current.Value = outer;
    }

    internal sealed class Check(Action own, Check? outer)
    {
        public void Run()
        {
            own();
            outer?.Run();
        }
    }
}
