using Microsoft.ML;
using MLNet.KnnLinear.ModelSelection;
using MLNet.KnnLinear.Plotting;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.ModelSelection;

public sealed class SweepPlotPngTests
{
    // Three candidates, four folds each at mean − 0.10, − 0.02, + 0.03, + 0.09: no fold lies on its mean marker or
    // within a dot's radius of an error-bar cap (mean ± 0.080), so every dot shows clear of the orange marks.
    private static readonly (double K, double[] Folds)[] Known =
    [
        (1, [0.20, 0.28, 0.33, 0.39]),
        (2, [0.30, 0.38, 0.43, 0.49]),
        (4, [0.25, 0.33, 0.38, 0.44]),
    ];

    [Fact]
    public void SweepResult_SavePlot_Png_ValidPngOfTheChartSize()
    {
        var result = Result(Known);
        string path = Path.Combine(RepoPaths.NewTempDirectory(), "cv.png");

        result.SavePlot(path, "k", "Cross-validation");

        var image = PngImage.Load(path);
        image.Width.Should().Be(800);
        image.Height.Should().Be(500);
        var drawn = SweepPlotPng.Render(result, "k", "Cross-validation", logScale: false).Canvas;
        for (int y = 0; y < image.Height; y += 7)
        {
            for (int x = 0; x < image.Width; x += 5)
            {
                image[x, y].Should().Be((drawn[x, y].R, drawn[x, y].G, drawn[x, y].B), "the file holds the drawn chart, and drawing is deterministic");
            }
        }
    }

    [Fact]
    public void SweepPlotPng_Render_DotsAndMeansWhereTheAxesPutThem()
    {
        var result = Result(Known);

        var (canvas, x, y) = SweepPlotPng.Render(result, "k", "Cross-validation", logScale: false);

        // The axes themselves: k = 1, 2, 4 left to right and evenly scaled; higher accuracy is higher up.
        (x.ToPixel(4) - x.ToPixel(2)).Should().BeApproximately(2 * (x.ToPixel(2) - x.ToPixel(1)), 1e-9);
        x.ToPixel(1).Should().BeGreaterThan(60);
        x.ToPixel(4).Should().BeLessThan(800);
        y.ToPixel(0.49).Should().BeLessThan(y.ToPixel(0.20));
        y.ToPixel(0.49).Should().BeGreaterThan(60, "the top dot is below the title and legend");
        y.ToPixel(0.20).Should().BeLessThan(460, "the bottom dot is above the x tick labels");

        foreach (var (k, folds) in Known)
        {
            int px = (int)x.ToPixel(k);
            foreach (double accuracy in folds)
            {
                // Three pixels to the left of the centre: inside the dot, clear of the 2 px error bar through it.
                int py = (int)y.ToPixel(accuracy);
                IsBlue(canvas[px - 3, py]).Should().BeTrue($"a fold dot is drawn at k = {k}, {accuracy:P0} ({px - 3}, {py})");
                IsBlue(canvas[px - 3, py - 12]).Should().BeFalse("dots are 4.5 px in radius");
            }

            int meanY = (int)y.ToPixel(folds.Average());
            IsOrange(canvas[px, meanY]).Should().BeTrue($"the mean marker is at k = {k}");
        }

        var empty = canvas[(int)((x.ToPixel(1) + x.ToPixel(2)) / 2), (int)y.ToPixel(0.515)];
        (IsBlue(empty) || IsOrange(empty)).Should().BeFalse("no mark where there is no data");
    }

    [Fact]
    public void SweepPlotPng_Render_LogScaleSpacesDecadesEvenly()
    {
        var result = Result([(1e-3, [0.3, 0.32]), (1e-2, [0.35, 0.36]), (1e-1, [0.28, 0.3])]);

        var (canvas, x, y) = SweepPlotPng.Render(result, "λ", "λ on a log scale", logScale: true);

        (x.ToPixel(1e-1) - x.ToPixel(1e-2)).Should().BeApproximately(x.ToPixel(1e-2) - x.ToPixel(1e-3), 1e-9);
        IsBlue(canvas[(int)x.ToPixel(1e-2) - 3, (int)y.ToPixel(0.35)]).Should().BeTrue();
    }

    [Fact]
    public void SweepResult_SavePlot_BadInputFailsClearly()
    {
        var result = Result(Known);
        string folder = RepoPaths.NewTempDirectory();

        FluentActions.Invoking(() => result.SavePlot(Path.Combine(folder, "missing", "cv.png"), "k")).Should().Throw<DirectoryNotFoundException>().WithMessage("*missing*does not exist*");
        FluentActions.Invoking(() => result.SavePlot(" ", "k")).Should().Throw<ArgumentException>().WithParameterName("path");
        FluentActions.Invoking(() => result.SavePlot(folder, "k")).Should().Throw<ArgumentException>().WithMessage("*folder*").WithParameterName("path");
        FluentActions.Invoking(() => result.SavePlot(Path.Combine(folder, "cv.png"), null!)).Should().Throw<ArgumentNullException>().WithParameterName("parameterName");
        FluentActions.Invoking(() => Result([(0, [0.5]), (1, [0.6])]).SavePlot(Path.Combine(folder, "cv.png"), "λ", logScale: true))
            .Should().Throw<ArgumentException>().WithMessage("*positive*'p = 0'*").WithParameterName("logScale");
        FluentActions.Invoking(() => new SweepResult([], 5)).Should().Throw<ArgumentException>().WithMessage("*at least one candidate*");
        File.Exists(Path.Combine(folder, "cv.png")).Should().BeFalse("nothing is written when the input is bad");
    }

    private static SweepResult Result(IEnumerable<(double Parameter, double[] Folds)> candidates)
    {
        // The estimator is never fitted here: plots only read the names, parameters and accuracies.
        var estimator = new MLContext().Transforms.CopyColumns("Out", "In");
        var results = candidates.Select(c => new CandidateResult(new SweepCandidate($"p = {c.Parameter}", c.Parameter, estimator), c.Folds)).ToArray();
        return new SweepResult(results, results[0].FoldAccuracies.Count);
    }

    private static bool IsBlue(Rgb c) => c.B > c.R + 40 && c.B > 150;

    private static bool IsOrange(Rgb c) => c.R > c.B + 100 && c.G > 60;
}
