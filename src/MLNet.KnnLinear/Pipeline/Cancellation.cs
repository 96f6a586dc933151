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
/// <remarks>
/// A scope's check is switched off when the scope ends. An execution context captured while the scope was open
/// outlives it wherever a thread or task started inside it keeps running or is reused (ML.NET's cursor threads, test
/// runners' workers); without the switch, a later and unrelated search on such a thread threw the cancellation of a
/// finished <c>Fit</c> (seen once in CI: a conformance test's Transform failed with another test's cancelled
/// MLContext).
/// </remarks>
internal static class Cancellation
{
    private static readonly AsyncLocal<Check?> Current = new();

    /// <summary>Throws <see cref="OperationCanceledException"/> when any open scope this code runs in is cancelled.</summary>
    public static void ThrowIfRequested() => Current.Value?.Run();

    /// <summary>Enters a scope whose check is <paramref name="throwIfCancelled"/> (nested in the current one).</summary>
    public static Scope Enter(Action throwIfCancelled)
    {
        var outer = Current.Value;
        var check = new Check(throwIfCancelled, outer);
        Current.Value = check;
        return new Scope(check, outer);
    }

    /// <summary>
    /// No cancellation point until the scope ends: for steps that must happen together or not at all (a re-ranked
    /// index's codes and its rows of the same chunk). Progress reports go on.
    /// </summary>
    public static Scope Suspend()
    {
        var outer = Current.Value;
        Current.Value = null;
        return new Scope(null, outer);
    }

    /// <summary>Enters a scope cancelled by <paramref name="token"/> (nothing to enter when it cannot be cancelled).</summary>
    public static Scope Enter(CancellationToken token)
        => token.CanBeCanceled ? Enter(token.ThrowIfCancellationRequested) : new Scope(null, Current.Value);

    /// <summary>Ends the scope (its check no longer applies anywhere) and restores the one around it when disposed.</summary>
    internal readonly struct Scope(Check? own, Check? outer) : IDisposable
    {
        public void Dispose()
        {
            own?.End();
            Current.Value = outer;
        }
    }

    internal sealed class Check(Action own, Check? outer)
    {
        private volatile bool _ended;

        public void End() => _ended = true;

        public void Run()
        {
            if (!_ended)
            {
                own();
            }

            outer?.Run();
        }
    }
}
