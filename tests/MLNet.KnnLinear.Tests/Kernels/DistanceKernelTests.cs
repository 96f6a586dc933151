using MLNet.KnnLinear.Kernels;

namespace MLNet.KnnLinear.Tests.Kernels;

public sealed class DistanceKernelTests
{
    public static IEnumerable<object[]> Lengths() => Enumerable.Range(0, 258).Where(n => n < 40 || n % 7 == 0 || n > 250).Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Lengths))]
    public void L1Distance_WholeNumbers_EqualsScalarTwinExactly(int length)
    {
        var (a, b) = WholeNumberPair(length, seed: length);
        L1Distance.Compute(a, b).Should().Be(ScalarDistances.L1(a, b));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void L1Distance_RandomFloats_EqualsScalarTwinWithinRounding(int length)
    {
        var (a, b) = FloatPair(length, seed: length);
        float expected = ScalarDistances.L1(a, b);
        L1Distance.Compute(a, b).Should().BeApproximately(expected, 1e-5f * Math.Max(1f, expected));
    }

    [Fact]
    public void ScalarDistances_HandComputedExample_KnownValues()
    {
        float[] a = [1, 2, 3];
        float[] b = [4, 0, 3];
        ScalarDistances.L1(a, b).Should().Be(5f);
        ScalarDistances.SquaredL2(a, b).Should().Be(13f);
        ScalarDistances.Dot(a, b).Should().Be(13f);
        ScalarDistances.Cosine([1, 0], [0, 1]).Should().Be(1f);
        ScalarDistances.Cosine([0, 0], [0, 1]).Should().Be(1f, "a zero vector is at distance 1 by definition");
    }

    [Fact]
    public void L1Distance_DifferentLengths_Throws()
    {
        var act = () => L1Distance.Compute(new float[3], new float[4]);
        act.Should().Throw<ArgumentException>().WithMessage("*3*4*");
    }

    /// <summary>
    /// Pixel-like whole numbers: every partial sum is an integer below 2^24, so any summation order gives the
    /// same float and vectorised and scalar kernels must agree exactly.
    /// </summary>
    private static (float[] A, float[] B) WholeNumberPair(int length, int seed)
    {
        var random = new Random(seed);
        return (Enumerable.Range(0, length).Select(_ => (float)random.Next(256)).ToArray(),
                Enumerable.Range(0, length).Select(_ => (float)random.Next(256)).ToArray());
    }

    private static (float[] A, float[] B) FloatPair(int length, int seed)
    {
        var random = new Random(seed);
        return (Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray(),
                Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray());
    }
}
