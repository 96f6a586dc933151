using MLNet.KnnLinear.Imaging;

namespace MLNet.KnnLinear.Tests.Imaging;

/// <summary>Colour histograms of images whose bins can be worked out by hand.</summary>
public sealed class ColorHistogramKnownAnswerTests
{
    /// <summary>
    /// Hue × 255 over 10 bins of 25.5: red 0 → bin 0, grey (hue 0) → bin 0, green 85 → bin 3, blue 170 → bin 6,
    /// yellow 42.5 → bin 1 (green's formula: 2 + (b − r) / Δ = 1, / 6).
    /// </summary>
    [Fact]
    public void Hue_Primaries_LandInTheirBins()
    {
        float[] output = Compute(ColorHistogramChannels.Hue, 10, joint: false, (255, 0, 0), (128, 128, 128), (0, 255, 0), (0, 0, 255), (255, 255, 0));

        output.Should().Equal(0.4f, 0.2f, 0f, 0.2f, 0f, 0f, 0.2f, 0f, 0f, 0f);
    }

    [Fact]
    public void Rgb_BinEdgesAreLeftClosedAndTheLastBinIsClosed()
    {
        // Red values 0, 127 (bin 0), 128 (bin 1: edge 127.5 is below), 255 (last bin, closed); 2 bins per channel.
        float[] output = Compute(ColorHistogramChannels.Red, 2, joint: false, (0, 0, 0), (127, 0, 0), (128, 0, 0), (255, 0, 0));

        output.Should().Equal(0.5f, 0.5f);
    }

    [Fact]
    public void Joint_IndexesTheFirstChannelSlowest()
    {
        // Red high and green low → (1, 0) → slot 2 of 4.
        float[] output = Compute(ColorHistogramChannels.Red | ColorHistogramChannels.Green, 2, joint: true, (255, 0, 0));

        output.Should().Equal(0f, 0f, 1f, 0f);
    }

    [Fact]
    public void Value_OfAGreyImageIsItsLevel()
    {
        float[] output = Compute(ColorHistogramChannels.Saturation | ColorHistogramChannels.Value, 4, joint: false, (200, 200, 200));

        output.Should().Equal(1f, 0f, 0f, 0f, 0f, 0f, 0f, 1f);
    }

    private static float[] Compute(ColorHistogramChannels channels, int bins, bool joint, params (byte R, byte G, byte B)[] pixels)
    {
        var planes = new float[3 * pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            planes[i] = pixels[i].R;
            planes[pixels.Length + i] = pixels[i].G;
            planes[(2 * pixels.Length) + i] = pixels[i].B;
        }

        var histogram = new ColorHistogram(new ColorHistogramParameters(channels, bins, joint, 255), pixels.Length, 3);
        var output = new float[histogram.Length];
        histogram.Compute(planes, output);
        return output;
    }
}
