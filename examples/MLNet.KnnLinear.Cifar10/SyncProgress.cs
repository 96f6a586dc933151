namespace MLNet.KnnLinear.Cifar10;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs its handler on the reporting thread, in order (the framework's
/// <see cref="Progress{T}"/> posts to the thread pool, so lines could print out of order or after the sweep).
/// </summary>
internal sealed class SyncProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);

    /// <summary>Each sweep step as one log line.</summary>
    public static IProgress<SweepProgress> Lines(Action<string> log) => new SyncProgress<SweepProgress>(step => log(step.ToString()));
}
