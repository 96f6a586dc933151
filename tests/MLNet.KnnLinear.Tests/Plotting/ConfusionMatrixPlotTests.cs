using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Plotting;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Plotting;

public sealed class ConfusionMatrixPlotTests
{
    private static readonly double[][] Counts =
    [
        [5, 1, 0],
        [2, 3, 0],
        [0, 0, 8],
    ];

    private static readonly string[] Names = ["cat", "dog", "bird"];

    [Fact]
    public void ConfusionMatrixPlot_SavePng_ValidPngOfTheDrawnSize()
    {
        string path = Path.Combine(RepoPaths.NewTempDirectory(), "matrix.png");

        ConfusionMatrixPlot.SaveCountsPng(Counts, path, Names, "Three classes");

        var image = PngImage.Load(path);
        var drawn = ConfusionMatrixPlot.Render(Counts, Names, "Three classes").Canvas;
        image.Width.Should().Be(drawn.Width);
        image.Height.Should().Be(drawn.Height);
        image.Width.Should().BeInRange(250, 800);
        image[image.Width / 2, image.Height / 2].Should().Be((drawn[image.Width / 2, image.Height / 2].R, drawn[image.Width / 2, image.Height / 2].G, drawn[image.Width / 2, image.Height / 2].B));
    }

    [Fact]
    public void ConfusionMatrixPlot_Render_CellsShadedByCountWithTheirNumbersInside()
    {
        var (canvas, left, top, cell) = ConfusionMatrixPlot.Render(Counts, Names, "Three classes");

        // A cell's corner shows its shade: the largest count (8) is the darkest colour, zero is white.
        Corner(2, 2).Should().Be(ColorScale.At(1));
        Corner(0, 2).Should().Be(Rgb.White);
        Corner(0, 0).Should().Be(ColorScale.At(5 / 8.0));
        Corner(1, 1).Luminance.Should().BeGreaterThan(Corner(0, 0).Luminance, "3 is lighter than 5");

        // The number sits in the middle of its cell: dark ink on a light cell, white ink on the darkest one.
        CentreInk(0, 2, c => c.Luminance < 0.3).Should().BePositive("the '0' of a white cell is drawn in dark ink");
        CentreInk(2, 2, c => c.Luminance > 0.8).Should().BePositive("the '8' of the darkest cell is drawn in white");
        CentreInk(1, 1, c => c.Luminance < 0.3).Should().BeInRange(10, 80, "one digit, not a blot");

        // Class names left of the rows: ink in the band just left of each row.
        for (int row = 0; row < 3; row++)
        {
            Count(left - 40, top + (row * cell) + 10, 36, cell - 20, c => c.Luminance < 0.5).Should().BePositive($"row {row} is named");
        }

        Rgb Corner(int row, int column) => canvas[left + (column * cell) + 3, top + (row * cell) + 3];

        int CentreInk(int row, int column, Func<Rgb, bool> ink)
            => Count(left + (column * cell) + (cell / 2) - 8, top + (row * cell) + (cell / 2) - 8, 16, 16, ink);

        int Count(int x0, int y0, int width, int height, Func<Rgb, bool> ink)
            => Enumerable.Range(y0, height).Sum(y => Enumerable.Range(x0, width).Count(x => ink(canvas[x, y])));
    }

    [Fact]
    public void ConfusionMatrixPlot_Render_LongNamesTurnTheColumnLabelsUpright()
    {
        string[] longNames = ["airplane", "automobile", "a very long class name indeed"];

        var flat = ConfusionMatrixPlot.Render(Counts, ["a", "b", "c"], "t");
        var turned = ConfusionMatrixPlot.Render(Counts, longNames, "t");

        turned.Canvas.Height.Should().BeGreaterThan(flat.Canvas.Height + 40, "column names read upwards below the matrix");
        turned.Canvas.Height.Should().BeLessThan(flat.Canvas.Height + 160, "names are cut to 140 px with an ellipsis");
    }

    [Fact]
    public void ConfusionMatrixPlot_SavePng_TakesMlNetsConfusionMatrix()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(80, 6, seed: 1), 6);
        var model = ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 3).Fit(data);
        var matrix = ml.MulticlassClassification.Evaluate(model.Transform(data)).ConfusionMatrix;
        string path = Path.Combine(RepoPaths.NewTempDirectory(), "matrix.png");

        matrix.SavePng(path, SyntheticData.ClassNames, "kNN on its training data");

        var image = PngImage.Load(path);
        image.Should().NotBeNull();
        image.Width.Should().Be(ConfusionMatrixPlot.Render(matrix.Counts, SyntheticData.ClassNames, "kNN on its training data").Canvas.Width);
    }

    [Fact]
    public void ConfusionMatrixPlot_SavePng_BadInputFailsClearly()
    {
        string folder = RepoPaths.NewTempDirectory();
        string path = Path.Combine(folder, "matrix.png");

        Save([], path).Should().Throw<ArgumentException>().WithMessage("*at least one class*").WithParameterName("counts");
        Save([[1, 2], [3]], path).Should().Throw<ArgumentException>().WithMessage("*square*row 1 has 1*").WithParameterName("counts");
        Save([[1, -2], [3, 4]], path).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*non-negative*row 0, column 1*");
        Save([[1, double.NaN], [3, 4]], path).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("counts");
        Save(Counts, path, ["cat", "dog"]).Should().Throw<ArgumentException>().WithMessage("*3 class names*got 2*").WithParameterName("classNames");
        Save(Counts, Path.Combine(folder, "matrix.svg")).Should().Throw<ArgumentException>().WithMessage("*.png*").WithParameterName("path");
        Save(Counts, Path.Combine(folder, "no", "matrix.png")).Should().Throw<DirectoryNotFoundException>().WithMessage("*does not exist*");
        Save(Counts, string.Empty).Should().Throw<ArgumentException>().WithParameterName("path");
        FluentActions.Invoking(() => ((ConfusionMatrix)null!).SavePng(path)).Should().Throw<ArgumentNullException>().WithParameterName("matrix");
        File.Exists(path).Should().BeFalse("nothing is written when the input is bad");

        static Action Save(double[][] counts, string path, string[]? names = null) => () => ConfusionMatrixPlot.SaveCountsPng(counts, path, names);
    }
}
