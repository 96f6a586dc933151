using MLNet.KnnLinear.Imaging;

namespace MLNet.KnnLinear.Tests.Kernels;

/// <summary>
/// The colour HoG's strongest-channel choice (<see cref="HogStrongestChannel"/>): the Vector256, Vector128 and
/// dispatched paths keep the same gradients and magnitudes as the scalar twin, bit for bit, across the vector widths'
/// boundaries, with ties (whole-number gradients tie often) going either way.
/// </summary>
public sealed class HogStrongestChannelTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryPath_EqualsTheScalarTwin_AcrossVectorBoundaries(bool tiesToOther)
    {
        var random = new Random(tiesToOther ? 2 : 1);
        for (int length = 0; length <= 41; length++)
        {
            float Next(int i) => i % 3 == 0 ? (float)(random.NextDouble() - 0.5) * 300 : random.Next(-2, 3);
            var kept = (Enumerable.Range(0, length).Select(Next).ToArray(), Enumerable.Range(0, length).Select(Next).ToArray());
            var other = (Enumerable.Range(0, length).Select(Next).ToArray(), Enumerable.Range(0, length).Select(Next).ToArray());
            var expected = Merged(HogStrongestChannel.MergeScalar, kept, other, tiesToOther);
            int taken = Enumerable.Range(0, length).Count(i => expected.X[i] != kept.Item1[i] || expected.Y[i] != kept.Item2[i]);
            if (length > 20)
            {
                taken.Should().BeInRange(1, length - 1, "the case must take some pixels from each channel");
            }

            foreach (var (name, merge) in new (string, MergeFunction)[]
            {
                ("vector256", HogStrongestChannel.MergeVector256),
                ("vector128", HogStrongestChannel.MergeVector128),
                ($"dispatched ({HogStrongestChannel.Path})", HogStrongestChannel.Merge),
            })
            {
                var actual = Merged(merge, kept, other, tiesToOther);
                actual.X.Should().Equal(expected.X, $"{name}, length {length}");
                actual.Y.Should().Equal(expected.Y, $"{name}, length {length}");
                actual.Magnitude.Should().Equal(expected.Magnitude, $"{name}, length {length}");
            }
        }
    }

    [Fact]
    public void ATie_GoesToTheOtherChannel_OnlyWhenAsked()
    {
        var later = Merged(HogStrongestChannel.Merge, ([3f], [4f]), ([-4f], [3f]), tiesToOther: true);
        var earlier = Merged(HogStrongestChannel.Merge, ([3f], [4f]), ([-4f], [3f]), tiesToOther: false);
        (later.X[0], later.Y[0]).Should().Be((-4f, 3f));
        (earlier.X[0], earlier.Y[0]).Should().Be((3f, 4f));
    }

    private delegate void MergeFunction(ReadOnlySpan<float> otherX, ReadOnlySpan<float> otherY, bool tiesToOther, Span<float> gx, Span<float> gy, Span<float> magnitude);

    private static (float[] X, float[] Y, float[] Magnitude) Merged(MergeFunction merge, (float[] X, float[] Y) kept, (float[] X, float[] Y) other, bool tiesToOther)
    {
        var x = kept.X.ToArray();
        var y = kept.Y.ToArray();
        var magnitude = x.Zip(y, (a, b) => (a * a) + (b * b)).ToArray();
        merge(other.X, other.Y, tiesToOther, x, y, magnitude);
        return (x, y, magnitude);
    }
}
