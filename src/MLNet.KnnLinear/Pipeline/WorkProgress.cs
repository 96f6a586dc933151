using System.Diagnostics;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// Progress of long loops (k-means iterations, HNSW insertion batches, rows filed in an inverted file, optimizer
/// iterations and SGD epochs): the entry point that has somewhere to send it (a trainer's <c>Fit</c>: ML.NET's log; a
/// <see cref="NeighborIndex"/> method: the caller's <see cref="IProgress{T}"/>) enters a scope, and the loops call
/// <see cref="Report"/> after each unit of work. Ambient, as <see cref="Cancellation"/> is, so the computations need
/// no extra parameter; a scope is switched off when it ends.
/// </summary>
internal static class WorkProgress
{
    private static readonly AsyncLocal<Reporter?> Current = new();

    /// <summary>Tells the current scope, if any, that <paramref name="completed"/> of <paramref name="total"/> units of <paramref name="stage"/> are done.</summary>
    public static void Report(string stage, long completed, long total) => Current.Value?.Report(stage, completed, total);

    /// <summary>Enters a scope whose reports go to <paramref name="sink"/> (replacing the current one's; null: none).</summary>
    public static Scope Enter(Action<NeighborIndexProgress>? sink)
    {
        var outer = Current.Value;
        var reporter = sink is null ? null : new Reporter(sink);
        Current.Value = reporter;
        return new Scope(reporter, outer);
    }

    /// <summary>Enters a scope reporting to <paramref name="progress"/> (nothing to enter when it is null).</summary>
    public static Scope Enter(IProgress<NeighborIndexProgress>? progress)
        => progress is null ? new Scope(null, Current.Value) : Enter(progress.Report);

    /// <summary>Ends the scope and restores the one around it when disposed.</summary>
    internal readonly struct Scope(Reporter? own, Reporter? outer) : IDisposable
    {
        public void Dispose()
        {
            own?.End();
            Current.Value = outer;
        }
    }

    internal sealed class Reporter(Action<NeighborIndexProgress> sink)
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private volatile bool _ended;

        public void End() => _ended = true;

        public void Report(string stage, long completed, long total)
        {
            if (!_ended)
            {
                sink(new NeighborIndexProgress(stage, completed, total, _watch.Elapsed));
            }
        }
    }
}
