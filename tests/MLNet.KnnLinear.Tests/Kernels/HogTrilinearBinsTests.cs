using MLNet.KnnLinear.Imaging;

namespace MLNet.KnnLinear.Tests.Kernels;

/// <summary>
/// Trilinear voting's per-pixel magnitude, bins and share (<see cref="HogTrilinearBins"/>): the Vector256, Vector128
/// and dispatched paths equal the scalar twin (OpenCV's scalar code, and <see cref="FastAtan"/> for the angle) bit for
/// bit across the vector widths' boundaries, including the bins' wrap at 0° and the period, and on the axes.
/// </summary>
public sealed class HogTrilinearBinsTests
{
    [Theory]
    [InlineData(9, false)]
    [InlineData(9, true)]
    [InlineData(8, false)]
    [InlineData(1, false)]
    [InlineData(12, true)]
    public void EveryPath_EqualsTheScalarTwin_AcrossVectorBoundaries(int orientations, bool signed)
    {
        var bins = new HogTrilinearBins(orientations, signed);
        var random = new Random(orientations);
        for (int length = 0; length <= 41; length++)
        {
            var gx = new float[length];
            var gy = new float[length];
            for (int i = 0; i < length; i++)
            {
                (gx[i], gy[i]) = (i % 3) switch
                {
                    0 => (random.Next(-2, 3), random.Next(-2, 3)),
                    1 => ((float)((random.NextDouble() * 510) - 255), (float)((random.NextDouble() * 510) - 255)),
                    _ => (random.Next(-255, 256), random.Next(-255, 256)),
                };
            }

            var expected = Classified(bins.ClassifyScalar, gx, gy);
            if (length > 0)
            {
                expected.Low.Concat(expected.High).Should().OnlyContain(b => b >= 0 && b < orientations && b == MathF.Floor(b));
                expected.Share.Should().OnlyContain(s => s >= 0 && s < 1);
            }
            foreach (var (name, classify) in new (string, ClassifyFunction)[]
            {
                ("vector256", bins.ClassifyVector256),
                ("vector128", bins.ClassifyVector128),
                ($"dispatched ({HogTrilinearBins.Path})", bins.Classify),
            })
            {
                var actual = Classified(classify, gx, gy);
                foreach (var (a, e, what) in new[] { (actual.Magnitude, expected.Magnitude, "magnitude"), (actual.Low, expected.Low, "low bin"), (actual.High, expected.High, "high bin"), (actual.Share, expected.Share, "share") })
                {
                    a.Select(BitConverter.SingleToInt32Bits).Should().Equal(e.Select(BitConverter.SingleToInt32Bits), $"{name}, {what}, length {length}");
                }
            }
        }
    }

    [Fact]
    public void TheScalarTwin_UsesOpenCvsFastAtan()
    {
        var bins = new HogTrilinearBins(9, signed: false);
        var result = Classified(bins.ClassifyScalar, [3f, -1f], [4f, -0.25f]);
        float Position(float y, float x) => (FastAtan.Degrees(y, x) * (float)(Math.PI / 180) * (float)(9 / Math.PI)) - 0.5f;
        result.Low[0].Should().Be(MathF.Floor(Position(4f, 3f)));
        result.Share[0].Should().Be(Position(4f, 3f) - MathF.Floor(Position(4f, 3f)));
        result.Magnitude[0].Should().Be(5f);
        float p = Position(-0.25f, -1f);
        p.Should().BeGreaterThan(9, "194° is past the unsigned period");
        (result.Low[1], result.High[1]).Should().Be((MathF.Floor(p) - 9, MathF.Floor(p) - 8), "an angle past 180° folds into the unsigned period");
    }

    private delegate void ClassifyFunction(ReadOnlySpan<float> gx, ReadOnlySpan<float> gy, Span<float> magnitude, Span<float> lowBin, Span<float> highBin, Span<float> highShare);

    private static (float[] Magnitude, float[] Low, float[] High, float[] Share) Classified(ClassifyFunction classify, float[] gx, float[] gy)
    {
        var result = (new float[gx.Length], new float[gx.Length], new float[gx.Length], new float[gx.Length]);
        classify(gx, gy, result.Item1, result.Item2, result.Item3, result.Item4);
        return result;
    }
}
