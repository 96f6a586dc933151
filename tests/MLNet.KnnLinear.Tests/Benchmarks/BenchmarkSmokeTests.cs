using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using MLNet.KnnLinear.Benchmarks;

namespace MLNet.KnnLinear.Tests.Benchmarks;

/// <summary>Runs every benchmark once, in process, on tiny inputs (Dry job), so the benchmarks never rot.</summary>
[Collection(nameof(BenchmarkSmokeTests))]
public sealed class BenchmarkSmokeTests
{
    [Theory]
    [InlineData(typeof(KernelBenchmarks))]
    [InlineData(typeof(SearchBenchmarks))]
    [InlineData(typeof(ExactSearchBenchmarks))]
    [InlineData(typeof(KnnFitBenchmarks))]
    [InlineData(typeof(TransformBenchmarks))]
    [InlineData(typeof(LinearTrainerBenchmarks))]
    [InlineData(typeof(ImageFeaturizerBenchmarks))]
    [InlineData(typeof(OnnxInferenceBenchmarks))]
    public void Benchmarks_DryRun_EveryCaseSucceeds(Type benchmarks)
    {
        Environment.SetEnvironmentVariable("KNNLINEAR_BENCH_SMOKE", "1");
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "mlnet-knnlinear-bench-smoke"));

        var summary = BenchmarkRunner.Run(benchmarks, config);

        summary.HasCriticalValidationErrors.Should().BeFalse(string.Join("; ", summary.ValidationErrors.Select(e => e.Message)));
        summary.Reports.Should().NotBeEmpty();
        summary.Reports.Should().OnlyContain(r => r.Success, "every benchmark case must run");
    }
}
