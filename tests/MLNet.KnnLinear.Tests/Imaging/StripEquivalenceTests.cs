using MLNet.KnnLinear.Imaging;

namespace MLNet.KnnLinear.Tests.Imaging;

/// <summary>
/// The featurizers read an image a strip of rows at a time so that their scratch follows the image's width, not its
/// area. Any split must give exactly what the whole image at once gives: here a budget of one byte forces strips of
/// one cell row (hard voting), one block row (trilinear) or one pixel row (histograms), and byte pixels are compared
/// with the same pixels as floats, bit for bit, on odd sizes whose last rows and columns fall outside the cells.
/// </summary>
public sealed class StripEquivalenceTests
{
    public static TheoryData<HogVoting, int, int, int, bool, HogColorMode, int> Cases => new()
    {
        { HogVoting.Hard, 32, 32, 3, false, HogColorMode.MaxGradientChannel, 1 },
        { HogVoting.Hard, 45, 37, 3, true, HogColorMode.MaxGradientChannel, 1 },
        { HogVoting.Hard, 61, 29, 3, false, HogColorMode.Grayscale, 2 },
        { HogVoting.Hard, 40, 24, 1, true, HogColorMode.MaxGradientChannel, 1 },
        { HogVoting.Trilinear, 32, 32, 3, false, HogColorMode.MaxGradientChannel, 1 },
        { HogVoting.Trilinear, 53, 41, 3, true, HogColorMode.MaxGradientChannel, 1 },
        { HogVoting.Trilinear, 64, 48, 3, false, HogColorMode.Grayscale, 2 },
        { HogVoting.Trilinear, 35, 50, 1, false, HogColorMode.MaxGradientChannel, 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hog_OneUnitStrips_EqualWholeImage_BytesEqualFloats(HogVoting voting, int height, int width, int channels, bool sqrt, HogColorMode colorMode, int stride)
    {
        var parameters = new HogParameters(9, 8, 8, 2, 2, stride, HogBlockNormalization.L2Hys, SignedGradients: false, sqrt, voting, colorMode);
        var descriptor = new HogDescriptor(parameters, parameters.GeometryFor(height, width, "test"), channels);
        var bytes = new byte[channels * height * width];
        new Random(height * width).NextBytes(bytes);
        var floats = bytes.Select(b => (float)b).ToArray();

        var whole = new float[descriptor.Length];
        descriptor.Compute(floats, whole, descriptor.CreateScratch());
        var wholeScratch = descriptor.CreateScratch();
        var stripScratch = descriptor.CreateScratch(budgetBytes: 1);
        wholeScratch.Units.Should().Be(voting == HogVoting.Hard ? descriptor.Geometry.CellsDown : descriptor.Geometry.BlocksDown, "a small image is one strip");
        stripScratch.Units.Should().Be(1);

        var fromFloatStrips = new float[descriptor.Length];
        descriptor.Compute(new PixelPlanes(floats, channels, height, width), fromFloatStrips, stripScratch);
        var fromByteStrips = new float[descriptor.Length];
        descriptor.Compute(new PixelPlanes(bytes, channels, height, width), fromByteStrips, stripScratch);
        var fromBytesWhole = new float[descriptor.Length];
        descriptor.Compute(new PixelPlanes(bytes, channels, height, width), fromBytesWhole, wholeScratch);

        whole.Should().Contain(v => v > 0);
        fromFloatStrips.Should().Equal(whole);
        fromByteStrips.Should().Equal(whole);
        fromBytesWhole.Should().Equal(whole);
    }

    [Theory]
    [InlineData(ColorHistogramChannels.Hue, false, 3)]
    [InlineData(ColorHistogramChannels.Rgb, true, 3)]
    [InlineData(ColorHistogramChannels.Rgb, false, 1)]
    public void ColorHistogram_OneRowStrips_FromBytes_EqualFloats(ColorHistogramChannels selected, bool joint, int channels)
    {
        const int height = 37;
        const int width = 29;
        var bytes = new byte[channels * height * width];
        new Random(5).NextBytes(bytes);
        var floats = bytes.Select(b => (float)b).ToArray();
        var histogram = new ColorHistogram(new ColorHistogramParameters(selected, 6, joint, 255), height * width, channels);

        var expected = new float[histogram.Length];
        histogram.Compute(floats, expected);
        var fromStrips = new float[histogram.Length];
        histogram.CreateWorker(stripBudgetBytes: 1)(new PixelPlanes(bytes, channels, height, width), fromStrips);
        var fromOneStrip = new float[histogram.Length];
        histogram.CreateWorker()(new PixelPlanes(bytes, channels, height, width), fromOneStrip);

        expected.Sum().Should().BeApproximately(joint ? 1f : histogram.Length / 6f, 1e-4f, "each histogram is fractions of the pixels");
        fromStrips.Should().Equal(expected);
        fromOneStrip.Should().Equal(expected);
    }

    [Fact]
    public void ColorHistogram_MoreThan2Pow24Pixels_CountsEveryPixel()
    {
        // A float count stops growing at 16,777,216; 4,200 × 4,200 grey pixels (17.6 M) in one bin must still give 1.
        const int side = 4200;
        var bytes = new byte[side * side];
        Array.Fill(bytes, (byte)200);
        bytes[0] = 10;
        var histogram = new ColorHistogram(new ColorHistogramParameters(ColorHistogramChannels.Red, 2, false, 255), side * side, 1);
        var output = new float[histogram.Length];
        histogram.CreateWorker()(new PixelPlanes(bytes, 1, side, side), output);

        output[0].Should().BeApproximately(1f / (side * side), 1e-12f);
        output[1].Should().BeApproximately(1f - (1f / (side * side)), 1e-6f);
    }
}
