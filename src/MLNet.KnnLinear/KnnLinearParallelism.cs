using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear;

/// <summary>
/// How many threads this library's computations use at most in one call: the calling thread plus workers from one
/// persistent set shared by every call in the process (searches, featurizers, index builds and adds, linear fits).
/// No call starts a thread of its own.
/// </summary>
/// <remarks>
/// The default is every core (<see cref="Environment.ProcessorCount"/>). It applies to models already fitted or
/// loaded: a service serving a saved kNN model can set it once at start-up (1: each prediction runs on its caller's
/// thread only, as many concurrent prediction engines want). An option's own <c>NumberOfThreads</c> can lower it for
/// that component, never raise it. Concurrent callers share the workers, so several prediction engines on a 2-core
/// machine together use about the 2 cores.
/// </remarks>
public static class KnnLinearParallelism
{
    private static int _maxDegreeOfParallelism = Environment.ProcessorCount;

    /// <summary>Threads one call uses at most, the caller's included (at least 1, at most 1,024; default: every core).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or above 1,024.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => Volatile.Read(ref _maxDegreeOfParallelism);
        set
        {
            if (value is < 1 or > 1024)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), value, "MaxDegreeOfParallelism must be between 1 and 1,024 threads.");
            }

            Volatile.Write(ref _maxDegreeOfParallelism, value);
        }
    }

    /// <summary>Threads for a component whose own setting is <paramref name="requested"/> (null or 0: no limit of its own).</summary>
    internal static int ThreadsFor(int? requested)
        => requested is > 0 ? Math.Min(requested.Value, MaxDegreeOfParallelism) : MaxDegreeOfParallelism;
}
