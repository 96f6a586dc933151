using System.Runtime.ExceptionServices;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// The library's compute threads: one persistent, bounded set of background workers shared by every caller
/// (searches, featurizers, index builds), started once and reused, so a call starts no thread of its own.
/// </summary>
/// <remarks>
/// A call's work items are claimed from a shared counter, by the calling thread first and by any idle worker that
/// picks up the call's notice. The caller keeps claiming until none is left, so a call always finishes even when
/// every worker is busy with other callers' work (concurrent prediction engines) or when a work item itself runs a
/// parallel call (no deadlock, and no more threads than <see cref="KnnLinearParallelism.MaxDegreeOfParallelism"/>
/// − 1 workers beside the callers). The thread pool is not used because its threads may all be taken by the callers
/// themselves (servers, test runners, ML.NET's cursors), which left the work on one core.
/// </remarks>
internal static class WorkerPool
{
    private static readonly object StartLock = new();
    private static readonly Queue<Call> Notices = new();
    private static readonly SemaphoreSlim Pending = new(0);
    private static int _workers;
    private static long _threadsStarted;

    /// <summary>How many worker threads the process has started (they are never stopped; a test watches this stay flat).</summary>
    public static long ThreadsStarted => Interlocked.Read(ref _threadsStarted);

    /// <summary>
    /// Runs <paramref name="body"/>(0 … <paramref name="count"/> − 1) on at most <paramref name="maxThreads"/> threads
    /// at once (0: <see cref="KnnLinearParallelism.MaxDegreeOfParallelism"/>, which also bounds any other value).
    /// </summary>
    public static void Run(int count, Action<int> body, int maxThreads = 0)
    {
        int threads = Math.Min(count, KnnLinearParallelism.ThreadsFor(maxThreads));
        if (threads <= 1)
        {
            for (int i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        var call = new Call(count, body);
        int helpers = threads - 1;
        EnsureWorkers(helpers);
        lock (Notices)
        {
            for (int i = 0; i < helpers; i++)
            {
                Notices.Enqueue(call);
            }
        }

        Pending.Release(helpers);
        call.Work();
        call.WaitAndRethrow();
    }

    private static void EnsureWorkers(int wanted)
    {
        if (Volatile.Read(ref _workers) >= wanted)
        {
            return;
        }

        lock (StartLock)
        {
            while (_workers < wanted)
            {
                // Without the caller's execution context (UnsafeStart): a worker outlives the call that started it.
                // (SuppressFlow would throw where the caller has suppressed the flow already.)
                new Thread(WorkerLoop) { IsBackground = true, Name = $"MLNet.KnnLinear worker {_workers + 1}" }.UnsafeStart();

                _workers++;
                Interlocked.Increment(ref _threadsStarted);
            }
        }
    }

    private static void WorkerLoop()
    {
        while (true)
        {
            Pending.Wait();
            RunNext();
        }
    }

    /// <summary>
    /// Takes one call and works on it. A method of its own, so no stack slot of the waiting loop keeps the last call
    /// (its delegate, and through it an index's rows) alive until the next call comes.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void RunNext()
    {
        Call call;
        lock (Notices)
        {
            call = Notices.Dequeue();
        }

        call.WorkInCallersContext();
    }

    /// <summary>One parallel call: its items, who has claimed how many, and what failed.</summary>
    private sealed class Call(int count, Action<int> body)
    {
        private readonly ExecutionContext? _context = ExecutionContext.Capture();
        private readonly ManualResetEventSlim _done = new();
        private List<ExceptionDispatchInfo>? _failures;
        private int _next;
        private int _finished;
        private volatile bool _failed;

        public void WorkInCallersContext()
        {
            // The caller's ambient state (its cancellation scope) applies to its items wherever they run.
            if (_context is null)
            {
                Work();
            }
            else
            {
                ExecutionContext.Run(_context, static state => ((Call)state!).Work(), this);
            }
        }

        public void Work()
        {
            int item;
            while ((item = Interlocked.Increment(ref _next) - 1) < count)
            {
                try
                {
                    if (!_failed)
                    {
                        body(item);
                    }
                }
                catch (Exception e)
                {
                    _failed = true;
                    lock (this)
                    {
                        (_failures ??= []).Add(ExceptionDispatchInfo.Capture(e));
                    }
                }
                finally
                {
                    if (Interlocked.Increment(ref _finished) == count)
                    {
                        _done.Set();
                    }
                }
            }
        }

        public void WaitAndRethrow()
        {
            _done.Wait();
            _done.Dispose();
            if (_failures is null)
            {
                return;
            }

            // One failure, or a cancellation every item saw: the exception itself, as a sequential loop throws it.
            if (_failures.Count == 1 || _failures.All(f => f.SourceException is OperationCanceledException))
            {
                _failures[0].Throw();
            }

            throw new AggregateException(_failures.Select(f => f.SourceException));
        }
    }
}
