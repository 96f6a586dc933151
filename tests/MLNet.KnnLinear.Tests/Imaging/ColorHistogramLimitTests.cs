using Microsoft.ML;

namespace MLNet.KnnLinear.Tests.Imaging;

/// <summary>
/// A joint histogram's slot count grows as bins^channels: 256 bins over R, G, B (2^24 slots) used to pass validation
/// and then fail with a bare ArgumentOutOfRange, and 128 bins allocated 2.3 GB for two 16 × 16 images. Both are now
/// refused up front against the documented 65,536-slot limit, naming BinsPerChannel.
/// </summary>
public sealed class ColorHistogramLimitTests
{
    [Theory]
    [InlineData(256, "16,777,216")]
    [InlineData(128, "2,097,152")]
    [InlineData(41, "68,921")]
    public void ColorHistogram_JointSlotsOverTheLimit_ThrowsNamingBinsPerChannel(int bins, string slots)
    {
        FluentActions.Invoking(() => new MLContext().Transforms.ExtractColorHistogram("Hist", "Pixels", ColorHistogramChannels.Rgb, bins, joint: true))
            .Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "BinsPerChannel" && e.Message.Contains(slots) && e.Message.Contains("65,536"));
    }

    [Fact]
    public void ColorHistogram_JointSlotsAtTheLimit_AreAccepted()
    {
        var ml = new MLContext();
        ml.Transforms.ExtractColorHistogram("Hist", "Pixels", ColorHistogramChannels.Rgb, 40, joint: true).Should().NotBeNull();
        ml.Transforms.ExtractColorHistogram("Hist", "Pixels", ColorHistogramChannels.Red | ColorHistogramChannels.Green, 256, joint: true).Should().NotBeNull();
    }
}
