using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/MLNet.KnnLinear.Benchmarks -- --filter '*SearchBenchmarks*'
// Searches take seconds each, so one launch with a warm-up and three measured iterations is plenty.
if (Environment.GetEnvironmentVariable("KNNLINEAR_HUGE_PAGES") == "0")
{
    // Byte panels on 4 KiB pages (the library's MLNet.KnnLinear.DisableHugePages switch), to compare: set before any index.
    AppContext.SetSwitch("MLNet.KnnLinear.DisableHugePages", true);
}

if (args.Length > 0 && args[0] is "ann" or "ann-sq8" or "ann-pq")
{
    // The approximate-search recall sweep beside faiss (AnnRecallRun): `-- ann [A|B] [nlist] [data dir]`.
    return MLNet.KnnLinear.Benchmarks.AnnRecallRun.Run(args);
}

if (args.Length > 0 && args[0] == "growth")
{
    // Indexes that grow on set B (GrowthRecallRun): `-- growth [nlist] [data dir]`.
    return MLNet.KnnLinear.Benchmarks.GrowthRecallRun.Run(args);
}

if (args.Length > 0 && args[0] == "engines")
{
    // Concurrent prediction engines over a loaded kNN model (ConcurrentEnginesRun): `-- engines [rows] [queries]`.
    return MLNet.KnnLinear.Benchmarks.ConcurrentEnginesRun.Run(args);
}

if (args.Length > 0 && args[0] == "exact-bytes")
{
    // Exact L2 over pixel bytes beside faiss' IndexFlatL2 (ExactBytesRun): `-- exact-bytes [rows] [queries] [data dir]`.
    return MLNet.KnnLinear.Benchmarks.ExactBytesRun.Run(args);
}

if (args.Length > 0 && args[0] == "ceiling")
{
    // Indexes past 2^31 values, added in byte batches (CeilingRun): `-- ceiling [exact|ivf|both] [rows] [data dir]`.
    return MLNet.KnnLinear.Benchmarks.CeilingRun.Run(args);
}

if (args.Length > 0 && args[0] == "fit-cold")
{
    // kNN Fit cold (first in the process) and warm against a cursor pass (KnnFitColdRun): `-- fit-cold [distance] [Byte|Single] [rows]`.
    return MLNet.KnnLinear.Benchmarks.KnnFitColdRun.Run(args);
}

if (args.Length > 0 && args[0] == "hog-sizes")
{
    // HoG by image size, kernel and Transform, beside OpenCV in the same run (HogSizeRun): `-- hog-sizes [passes] [--no-opencv]`.
    return MLNet.KnnLinear.Benchmarks.HogSizeRun.Run(args);
}

if (args.Length > 0 && args[0] == "kernel-path")
{
    // kNN L1 through Transform on this process's kernel path (KernelPathRun): `-- kernel-path [rows] [queries]`.
    return MLNet.KnnLinear.Benchmarks.KernelPathRun.Run(args);
}

var job = Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, DefaultConfig.Instance.AddJob(job.AsDefault()));
return 0;
