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

    [Fact]
    public void HogSizeRun_OneSmallPass_PrintsItsTable()
    {
        // The stopwatch run behind the README's HoG-by-size table, on 32 × 32 images only, one pass, without OpenCV.
        Environment.SetEnvironmentVariable("KNNLINEAR_BENCH_SIZES", "32x32");
        var console = Console.Out;
        using var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            HogSizeRun.Run(["hog-sizes", "1", "--no-opencv"]).Should().Be(0);
        }
        finally
        {
            Console.SetOut(console);
            Environment.SetEnvironmentVariable("KNNLINEAR_BENCH_SIZES", null);
        }

        output.ToString().Should().Contain("| 32 × 32 | Hard | 2,048 |").And.Contain("| 32 × 32 | Trilinear | 2,048 |");
    }
}
