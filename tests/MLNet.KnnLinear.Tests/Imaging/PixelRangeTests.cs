using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Tests.Imaging;

/// <summary>
/// Single pixel vectors that would make HoG emit NaN (negative pixels under square-root compression, or values
/// near float's limit, whose gradients overflow) are refused naming the column; the features are never NaN.
/// </summary>
public sealed class PixelRangeTests
{
    private const int Side = 16;

    [Fact]
    public void Hog_NegativeSinglePixelsWithSqrtCompression_ThrowsNamingTheColumn()
    {
        var pixels = Pixels(seed: 1);
        pixels[37] = -3f;

        FluentActions.Invoking(() => Hog(pixels, sqrt: true)).Should().Throw<InvalidOperationException>().WithMessage("*'Pixels'*-3*slot 37*SqrtCompression*");
    }

    [Theory]
    [InlineData(3e38f)]
    [InlineData(-3e38f)]
    [InlineData(2e9f)]
    public void Hog_SinglePixelsBeyond1e9_ThrowNamingTheColumn(float value)
    {
        var pixels = Pixels(seed: 2);
        pixels[100] = value;

        FluentActions.Invoking(() => Hog(pixels, sqrt: false)).Should().Throw<InvalidOperationException>().WithMessage("*'Pixels'*slot 100*±1e9*");
    }

    [Fact]
    public void Hog_NegativeAndLargeSinglePixelsWithoutSqrt_FiniteFeatures()
    {
        var pixels = Pixels(seed: 3).Select((v, i) => i % 2 == 0 ? -v * 1e6f : v * 1e6f).ToArray(); // within ±1e9

        Hog(pixels, sqrt: false).Should().OnlyContain(v => float.IsFinite(v));
    }

    private static float[] Hog(float[] pixels, bool sqrt)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { Pixels = pixels } });
        var options = new HogFeaturesEstimator.Options { OutputColumnName = "Hog", InputColumnName = "Pixels", VectorChannels = 1, CellHeight = 4, CellWidth = 4, SqrtCompression = sqrt };
        return ml.Transforms.ExtractHogFeatures(options).Fit(data).Transform(data).GetColumn<VBuffer<float>>("Hog").Single().DenseValues().ToArray();
    }

    private static float[] Pixels(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Side * Side).Select(_ => (float)random.Next(256)).ToArray();
    }

    private sealed class Row
    {
        [VectorType(Side * Side)]
        public float[] Pixels { get; set; } = [];
    }
}
