using Microsoft.ML;
using MLNet.KnnLinear.ModelSelection;
using MLNet.KnnLinear.Tests.Support;
using MLNet.KnnLinear.Visualization;
using OxyPlot;

namespace MLNet.KnnLinear.Tests.Visualization;

/// <summary>
/// The cross-validation plot, decoded by ML.NET's image decoder (not the writer) and checked where OxyPlot's axes put
/// each mark: fold dots grey, the best candidate a red diamond, nothing where there is no data.
/// </summary>
public sealed class SweepPlotTests
{
    // Three candidates, four folds each at mean − 0.10, − 0.02, + 0.03, + 0.09: the lowest and highest folds lie
    // clear of the mean marker and the ±std caps (mean ± 0.080).
    private static readonly (double K, double[] Folds)[] Known =
    [
        (1, [0.20, 0.28, 0.33, 0.39]),
        (2, [0.30, 0.38, 0.43, 0.49]),
        (4, [0.25, 0.33, 0.38, 0.44]),
    ];

    [Fact]
    public void SavePlot_Png_MarksWhereTheAxesPutThem()
    {
        var result = Result(Known);
        string folder = RepoPaths.NewTempDirectory();
        string path = Path.Combine(Environment.GetEnvironmentVariable("KNNLINEAR_PICTURES_DIR") ?? folder, "cv.png");
        result.SavePlot(path, "k", "Cross-validation");
        var image = PngImage.Load(path);
        image.Width.Should().Be(800);
        image.Height.Should().Be(500);

        // The same chart, exported the same way, gives the axes' pixel transforms.
        var model = SweepPlot.Create(result, "k", "Cross-validation", logScale: false);
        ChartFile.Save(model, Path.Combine(folder, "again.png"), SweepPlot.Width, SweepPlot.Height);
        var x = model.Axes[0];
        var y = model.Axes[1];
        (x.Transform(4) - x.Transform(2)).Should().BeApproximately(2 * (x.Transform(2) - x.Transform(1)), 1e-6, "k is on a linear axis");
        y.Transform(0.49).Should().BeLessThan(y.Transform(0.20), "higher accuracy is higher up");

        var best = image[(int)Math.Round(x.Transform(2)), (int)Math.Round(y.Transform(0.40))];
        IsRed(best).Should().BeTrue($"the best candidate (k = 2, mean 40%) is the red diamond, found {best}");
        foreach (var (k, folds) in Known)
        {
            foreach (double accuracy in new[] { folds[0], folds[^1] })
            {
                var dot = image[(int)Math.Round(x.Transform(k)) - 1, (int)Math.Round(y.Transform(accuracy))];
                IsGrey(dot).Should().BeTrue($"a grey fold dot at k = {k}, {accuracy:P0}, found {dot}");
            }
        }

        // Between grid lines (k every 0.5, accuracy every 5 %): where two lines cross, their alpha adds up to a darker
        // grey, and SkiaSharp 3 lays the title out a pixel differently from 2.88, which moves the lines.
        var empty = image[(int)Math.Round(x.Transform(1.25)), (int)Math.Round(y.Transform(0.225))];
        (empty.R > 200 && empty.G > 200 && empty.B > 200).Should().BeTrue($"no mark where there is no data (white, or a light grid line), found {empty}");
        Enumerable.Range(0, 200).Select(i => image[100 + (i * 3), 250]).Distinct().Count().Should().BeGreaterThan(2, "the plot area is not blank");
    }

    [Fact]
    public void SavePlot_LogScale_SpacesDecadesEvenly_AndSvgIsWellFormed()
    {
        var result = Result([(1e-3, [0.3, 0.32]), (1e-2, [0.35, 0.36]), (1e-1, [0.28, 0.3])]);
        string folder = RepoPaths.NewTempDirectory();
        var model = SweepPlot.Create(result, "λ", "λ on a log scale", logScale: true);
        ChartFile.Save(model, Path.Combine(folder, "cv.png"), SweepPlot.Width, SweepPlot.Height);
        var x = model.Axes[0];
        (x.Transform(1e-1) - x.Transform(1e-2)).Should().BeApproximately(x.Transform(1e-2) - x.Transform(1e-3), 1e-6);

        string svg = Path.Combine(folder, "cv.svg");
        result.SavePlot(svg, "λ", logScale: true);
        var document = System.Xml.Linq.XDocument.Load(svg);
        document.Root!.Name.LocalName.Should().Be("svg");
        document.Descendants().Count().Should().BeGreaterThan(20, "axes, ticks, dots and lines are drawn");
    }

    [Fact]
    public void SavePlot_BadInputFailsClearly()
    {
        var result = Result(Known);
        string folder = RepoPaths.NewTempDirectory();

        FluentActions.Invoking(() => result.SavePlot(Path.Combine(folder, "missing", "cv.png"), "k")).Should().Throw<DirectoryNotFoundException>().WithMessage("*missing*does not exist*");
        FluentActions.Invoking(() => result.SavePlot(" ", "k")).Should().Throw<ArgumentException>().WithParameterName("path");
        FluentActions.Invoking(() => result.SavePlot(folder, "k")).Should().Throw<ArgumentException>().WithMessage("*folder*").WithParameterName("path");
        FluentActions.Invoking(() => result.SavePlot(Path.Combine(folder, "cv.png"), null!)).Should().Throw<ArgumentNullException>().WithParameterName("parameterName");
        FluentActions.Invoking(() => Result([(0, [0.5]), (1, [0.6])]).SavePlot(Path.Combine(folder, "cv.png"), "λ", logScale: true))
            .Should().Throw<ArgumentException>().WithMessage("*positive*'p = 0'*").WithParameterName("logScale");
        FluentActions.Invoking(() => new SweepResult([], 5, SweepMetric.MicroAccuracy)).Should().Throw<ArgumentException>().WithMessage("*at least one candidate*");
        File.Exists(Path.Combine(folder, "cv.png")).Should().BeFalse("nothing is written when the input is bad");
    }

    internal static SweepResult Result(IEnumerable<(double Parameter, double[] Folds)> candidates)
    {
        // The estimator is never fitted here: plots only read the names, parameters and accuracies.
        var estimator = new MLContext().Transforms.CopyColumns("Out", "In");
        var results = candidates.Select(c => new CandidateResult(new SweepCandidate($"p = {c.Parameter}", c.Parameter, estimator), c.Folds)).ToArray();
        return new SweepResult(results, results[0].FoldValues.Count, SweepMetric.MicroAccuracy);
    }

    private static bool IsRed((byte R, byte G, byte B) c) => c.R > 150 && c.G < 120 && c.B < 120;

    private static bool IsGrey((byte R, byte G, byte B) c) => c.R < 200 && Math.Abs(c.R - c.G) < 20 && Math.Abs(c.G - c.B) < 20;
}
