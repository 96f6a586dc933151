using System.Reflection;
using Microsoft.ML;
using OxyPlot.SkiaSharp;
using SkiaSharp;
using Xunit.Abstractions;

namespace MLNet.KnnLinear.Tests.Architecture;

/// <summary>
/// Which ML.NET this test run loads. The packages are built against ML.NET 5.0.1 and depend on [5.0.1, 6.1.0); CI
/// runs the whole suite once on each tested line (<c>-p:MlNetLine=5</c> and <c>6</c>) and says through
/// <c>KNNLINEAR_EXPECTED_MLNET</c> which one each pass must load, so a pass that silently restored the other line
/// fails instead of testing the same ML.NET twice.
/// </summary>
public sealed class MlNetVersionTests(ITestOutputHelper output)
{
    [Fact]
    public void MlNet_LoadedVersion_IsTheLineThisRunTests()
    {
        string mlnet = Informational(typeof(MLContext).Assembly);
        string library = Informational(typeof(KnnTrainer).Assembly);
        string skia = Informational(typeof(SKBitmap).Assembly);
        string oxyPlot = Informational(typeof(PngExporter).Assembly);
        output.WriteLine($"ML.NET {mlnet}; SkiaSharp {skia}; OxyPlot.SkiaSharp {oxyPlot}; MLNet.KnnLinear {library}");

        string? expected = Environment.GetEnvironmentVariable("KNNLINEAR_EXPECTED_MLNET");
        if (expected is not null)
        {
            mlnet.Should().StartWith(expected, "CI names the ML.NET version each pass must load");
        }
        else
        {
            mlnet.Should().Match(v => v.StartsWith("5.0.1", StringComparison.Ordinal) || v.StartsWith("6.0.0", StringComparison.Ordinal), "the tested lines are 5.0.1 and 6.0.0");
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException("Under CI=true, KNNLINEAR_EXPECTED_MLNET must say which ML.NET version this pass loads (5.0.1 or 6.0.0).");
            }
        }

        // ImageAnalytics 6.0 needs SkiaSharp 3.119; 5.0 runs on 2.88. The picture tests draw and decode on either.
        skia.Should().StartWith(mlnet.StartsWith('6') ? "3.119" : "2.88", "ImageAnalytics decides the SkiaSharp line");
    }

    private static string Informational(Assembly assembly)
        => assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version!.ToString();
}
