using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Tests.Support;
using MLNet.KnnLinear.Visualization;

namespace MLNet.KnnLinear.Tests.Visualization;

/// <summary>
/// The confusion matrix, class templates, neighbour grid and optimisation trace, each decoded by ML.NET's image
/// decoder and checked for what a reader would look at: size, colours where the data puts them, a non-blank plot.
/// </summary>
public sealed class PictureTests
{
    private static readonly double[][] Counts = [[50, 3, 0], [7, 41, 2], [0, 0, 60]];

    [Fact]
    public void ConfusionMatrix_Png_ShadesCellsByCount()
    {
        string folder = RepoPaths.NewTempDirectory();
        string path = Path.Combine(Environment.GetEnvironmentVariable("KNNLINEAR_PICTURES_DIR") ?? folder, "matrix.png");
        ConfusionMatrixPlotExtensions.SaveCountsPlot(Counts, path, ["cat", "dog", "ship"], "Three classes");
        var image = PngImage.Load(path);
        image.Width.Should().Be(400 + 120);
        image.Height.Should().Be(400);

        var model = ConfusionMatrixPlot.Create(Counts, ["cat", "dog", "ship"], "Three classes");
        ChartFile.Save(model, Path.Combine(folder, "again.png"), 520, 400);
        var x = model.Axes[0];
        var y = model.Axes[1];
        (byte R, byte G, byte B) Cell(int truth, int predicted) => image[(int)Math.Round(x.Transform(predicted)) + 12, (int)Math.Round(y.Transform(truth)) + 12];

        var largest = Cell(2, 2);
        largest.B.Should().BeGreaterThan(100);
        largest.R.Should().BeLessThan(60, "the largest count is navy");
        Cell(0, 2).Should().Be(((byte)255, (byte)255, (byte)255), "a zero count is white");
        Cell(1, 0).R.Should().BeGreaterThan(Cell(0, 0).R, "7 is paler than 50");
        y.Transform(0).Should().BeLessThan(y.Transform(2), "the first true class is the top row");
    }

    [Fact]
    public void ConfusionMatrix_FromEvaluate_AndBadInput()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(60, 8, seed: 1), 8);
        var model = ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 1).Fit(data);
        var matrix = ml.MulticlassClassification.Evaluate(model.Transform(data)).ConfusionMatrix;
        string folder = RepoPaths.NewTempDirectory();
        string path = Path.Combine(folder, "matrix.svg");

        matrix.SavePlot(path, SyntheticData.ClassNames, "kNN on its training data");
        System.Xml.Linq.XDocument.Load(path).Root!.Name.LocalName.Should().Be("svg");

        string png = Path.Combine(folder, "bad.png");
        FluentActions.Invoking(() => ConfusionMatrixPlotExtensions.SaveCountsPlot([[1, 2]], png)).Should().Throw<ArgumentException>().WithMessage("*square*");
        FluentActions.Invoking(() => ConfusionMatrixPlotExtensions.SaveCountsPlot([[1, -2], [0, 1]], png)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*[0][1]*");
        FluentActions.Invoking(() => ConfusionMatrixPlotExtensions.SaveCountsPlot([[1, 2], [0, 1]], png, ["a"])).Should().Throw<ArgumentException>().WithMessage("*1 class names for 2 classes*");
        FluentActions.Invoking(() => ((ConfusionMatrix)null!).SavePlot(png)).Should().Throw<ArgumentNullException>().WithParameterName("matrix");
        File.Exists(png).Should().BeFalse();
    }

    [Fact]
    public void ClassTemplates_PixelsAreTheStretchedWeights()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(80, 60, seed: 2, range: 128), 60);
        var model = ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options { MaximumNumberOfIterations = 20 }).Fit(data).Model;
        string folder = RepoPaths.NewTempDirectory();

        var paths = model.SaveClassTemplates(folder, height: 4, width: 5, channels: 3, planar: true, classNames: ["a b", "c", "d", "e"]);

        paths.Select(Path.GetFileName).Should().Equal("class-0-a_b.png", "class-1-c.png", "class-2-d.png", "class-3-e.png", "templates.png");
        var weights = model.GetClassWeights(1);
        float min = weights.Min(), max = weights.Max();
        var picture = PngImage.Load(paths[1]);
        (picture.Width, picture.Height).Should().Be((5, 4));
        for (int yy = 0; yy < 4; yy++)
        {
            for (int xx = 0; xx < 5; xx++)
            {
                byte Expected(int channel) => (byte)Math.Clamp(MathF.Round((weights[(channel * 20) + (yy * 5) + xx] - min) * 255f / (max - min)), 0, 255);
                picture[xx, yy].Should().Be((Expected(0), Expected(1), Expected(2)), $"pixel ({xx}, {yy})");
            }
        }

        var grid = PngImage.Load(paths[4]);
        (grid.Width, grid.Height).Should().Be((20, 4));
        grid[5 + 2, 1].Should().Be(picture[2, 1], "the grid holds the templates side by side");
        FluentActions.Invoking(() => model.SaveClassTemplates(folder, 4, 4)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*4 × 4 × 3*60 features*");
    }

    [Fact]
    public void NeighborGrid_FramesMatchesGreenAndMismatchesRed()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(40, 48, seed: 3, range: 128), 48);
        var model = ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 3, distance: KnnDistance.L1).Fit(data).Model;
        var images = data.GetColumn<float[]>("Features").ToArray();
        images.Should().OnlyContain(image => image.All(v => v <= 255f), "pixels");
        var classes = data.GetColumn<uint>("Label").Select(k => (int)k - 1).ToArray();
        string path = Path.Combine(Environment.GetEnvironmentVariable("KNNLINEAR_PICTURES_DIR") ?? RepoPaths.NewTempDirectory(), "neighbours.png");
        var queries = images.Take(4).ToArray();

        model.SaveNeighborGrid(queries, classes.Take(4).ToArray(), images, path, imageHeight: 4, imageWidth: 4, scale: 5);

        var picture = PngImage.Load(path);
        int tile = (4 * 5) + 8;
        (picture.Width, picture.Height).Should().Be((5 * tile, 4 * tile));
        for (int q = 0; q < 4; q++)
        {
            var found = model.FindNearestNeighbors(queries[q], 3);
            for (int n = 0; n < 3; n++)
            {
                var frame = picture[((n + 2) * tile) + 2, (q * tile) + (tile / 2)];
                var expected = found[n].ClassIndex == classes[q] ? NeighborGridExtensions.Match : NeighborGridExtensions.Mismatch;
                frame.Should().Be(expected, $"query {q}, neighbour {n} (class {found[n].ClassIndex} vs {classes[q]})");
                var pixel = picture[((n + 2) * tile) + 4 + 2, (q * tile) + 4 + 2];
                byte value = (byte)Math.Round(images[found[n].Row][0]);
                pixel.R.Should().Be(value, "the neighbour's top-left pixel (red channel) is drawn inside the frame");
            }
        }

        FluentActions.Invoking(() => model.SaveNeighborGrid(queries, [0], images, path, 4, 4)).Should().Throw<ArgumentException>().WithParameterName("queryClasses");
        FluentActions.Invoking(() => model.SaveNeighborGrid(queries, [0, 0, 0, 0], images, path, 5, 5)).Should().Throw<ArgumentException>().WithMessage("*48 features*5 × 5*");
    }

    [Fact]
    public void OptimizationTrace_Png_IsDrawn()
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticData.Keyed(ml, SyntheticData.Rows(60, 16, seed: 4), 16);
        var trace = ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options { MaximumNumberOfIterations = 30 }).Fit(data).Model.Trace!;
        string path = Path.Combine(Environment.GetEnvironmentVariable("KNNLINEAR_PICTURES_DIR") ?? RepoPaths.NewTempDirectory(), "trace.png");

        trace.SavePlot(path);

        var picture = PngImage.Load(path);
        (picture.Width, picture.Height).Should().Be((800, 500));
        Enumerable.Range(0, 600).Select(i => picture[100 + i, 250]).Should().Contain(c => c.B > c.R + 60, "the blue objective line crosses the middle of the plot");
    }
}
