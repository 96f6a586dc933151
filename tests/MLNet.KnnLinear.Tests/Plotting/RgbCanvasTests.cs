using MLNet.KnnLinear.Plotting;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Plotting;

public sealed class RgbCanvasTests
{
    private static readonly Rgb Red = new(200, 0, 0);

    [Fact]
    public void RgbCanvas_FillRectangle_FillsWholePixelsAndClipsAtTheEdges()
    {
        var canvas = new RgbCanvas(10, 8, Rgb.White);

        canvas.FillRectangle(-3, 6, 5, 10, Red);

        canvas[0, 6].Should().Be(Red);
        canvas[1, 7].Should().Be(Red);
        canvas[2, 6].Should().Be(Rgb.White, "the rectangle ends before x = 2");
        canvas[0, 5].Should().Be(Rgb.White, "the rectangle starts at y = 6");
    }

    [Fact]
    public void RgbCanvas_DrawLine_CoversOnePixelBandWithSoftEdges()
    {
        var canvas = new RgbCanvas(40, 20, Rgb.White);

        // Centred on the boundary between rows 9 and 10, 3 px thick: rows 9 and 10 are inside, rows 8 and 11 half covered.
        canvas.DrawLine(5, 10, 30, 10, thickness: 3, Red);

        canvas[15, 9].Should().Be(Red);
        canvas[15, 10].Should().Be(Red);
        canvas[15, 8].Should().Be(Rgb.Lerp(Rgb.White, Red, 0.5));
        canvas[15, 11].Should().Be(Rgb.Lerp(Rgb.White, Red, 0.5));
        canvas[15, 7].Should().Be(Rgb.White);
        canvas[15, 12].Should().Be(Rgb.White);
        canvas[34, 10].Should().Be(Rgb.White, "the round cap reaches 1.5 px beyond the end, not 4");
    }

    [Fact]
    public void RgbCanvas_FillCircle_FullAtTheCentreEmptyBeyondTheRadius()
    {
        var canvas = new RgbCanvas(30, 30, Rgb.White);

        canvas.FillCircle(15, 15, 5, Red);

        canvas[14, 14].Should().Be(Red);
        canvas[15, 15].Should().Be(Red);
        canvas[15 + 6, 15].Should().Be(Rgb.White);
        canvas[15, 15 - 7].Should().Be(Rgb.White);
        canvas[9, 15].Should().Be(canvas[20, 15], "the disc is symmetric about its centre");
    }

    [Fact]
    public void RgbCanvas_SavePng_RoundTripsThePixels()
    {
        var canvas = new RgbCanvas(7, 5, Rgb.White);
        canvas.FillRectangle(2, 1, 3, 2, Red);
        string path = Path.Combine(RepoPaths.NewTempDirectory(), "canvas.png");

        canvas.SavePng(path);

        var image = PngImage.Load(path);
        image.Width.Should().Be(7);
        image.Height.Should().Be(5);
        image[3, 2].Should().Be((Red.R, Red.G, Red.B));
        image[1, 2].Should().Be(((byte)255, (byte)255, (byte)255));
    }

    [Fact]
    public void RgbCanvas_New_RejectsAnEmptyCanvas()
    {
        FluentActions.Invoking(() => new RgbCanvas(0, 10, Rgb.White)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("width");
    }
}
