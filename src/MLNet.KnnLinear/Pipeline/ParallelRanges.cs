namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// Runs <c>body(0) … body(n − 1)</c> in parallel on the calling thread and the library's shared workers
/// (<see cref="WorkerPool"/>). Each body is milliseconds of work (a block of rows, a share of a search) and never
/// waits for another body: a body may run on the caller after another finished there.
/// </summary>
internal static class ParallelRanges
{
    public static void Run(int n, Action<int> body) => WorkerPool.Run(n, body);

    /// <summary>As <see cref="Run(int, Action{int})"/>, on at most <paramref name="maxThreads"/> threads at once (0: no limit of its own).</summary>
    public static void Run(int n, int maxThreads, Action<int> body) => WorkerPool.Run(n, body, maxThreads);
}
