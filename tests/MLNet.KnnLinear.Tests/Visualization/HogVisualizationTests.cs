using MLNet.KnnLinear.Tests.Conformance;
using MLNet.KnnLinear.Tests.Support;
using Microsoft.ML;

namespace MLNet.KnnLinear.Tests.Visualization;

/// <summary>The glyph picture of a HoG (scikit-image's visualize=True), as PNG.</summary>
public sealed class HogVisualizationTests
{
    /// <summary>
    /// Vertical stripes have horizontal gradients (bin 0, mid angle 10°), so each cell's glyph is a near-vertical
    /// line through the cell centre: bright on the centre column, dark away from it.
    /// </summary>
    [Fact]
    public void SaveVisualization_VerticalStripes_DrawsVerticalLinesThroughCellCentres()
    {
        var ml = new MLContext(1);
        const int size = 16;
        var pixels = new byte[3 * size * size];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)((i % size) / 2 % 2 * 200);
        }

        var data = ImageData.ToDataView(ml, [new PixelRow { Pixels = pixels }], pixels.Length);
        var hog = ml.Transforms.ExtractHogFeatures("Hog", "Pixels").Fit(data);
        string path = Path.Combine(RepoPaths.NewTempDirectory(), "hog.png");

        hog.SaveVisualization(data, 0, path, scale: 4);

        var png = PngImage.Load(path);
        png.Width.Should().Be(64);
        png.Height.Should().Be(64);
        byte At(int row, int column) => png[column, row].R;

        // Cell (0, 0) spans output pixels 0..31, centre (16, 16); the bin-0 line runs from (1, 13) to (31, 18).
        Enumerable.Range(4, 24).Select(r => Enumerable.Range(10, 12).Max(c => At(r, c))).Should().OnlyContain(v => v > 100, "the glyph line crosses every row near the centre column");
        Enumerable.Range(0, 32).Max(r => At(r, 2)).Should().Be(0, "nothing is drawn far from the line");
        Enumerable.Range(0, 64).Max(c => At(16, c)).Should().Be(255, "the brightest glyph is scaled to white");
    }

    [Fact]
    public void SaveVisualization_RowPastTheEnd_SaysHowManyRowsThereAre()
    {
        var ml = new MLContext(1);
        var data = ImageFeaturizerBadInputs.Data(ml, 16, rows: 3);
        var hog = ml.Transforms.ExtractHogFeatures("Hog", "Pixels").Fit(data);

        var act = () => hog.SaveVisualization(data, 5, Path.Combine(RepoPaths.NewTempDirectory(), "hog.png"));

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*only 3 rows*");
    }
}
