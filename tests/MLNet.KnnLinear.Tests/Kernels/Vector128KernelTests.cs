using System.Runtime.Intrinsics;
using MLNet.KnnLinear.Kernels;
using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear.Tests.Kernels;

/// <summary>
/// The 16-byte kernel paths (what Arm64 and x86 without AVX2 run), called directly so that they are checked on every
/// machine whatever path the dispatch picks: each equals its scalar twin exactly, across the 16-byte chunk boundary,
/// the 128-chunk flush of the portable SAD (2,048 bytes) and the vector-tail boundaries. Without SIMD hardware (the
/// scalar CI pass) .NET runs the same Vector128 code in software, so these still check the arithmetic there.
/// </summary>
public sealed unsafe class Vector128KernelTests
{
    public static IEnumerable<object[]> Dimensions()
        => new[] { 0, 1, 15, 16, 17, 31, 32, 33, 100, 2047, 2048, 2049, 2063, 3072, 4096, 4111, 70_000 }.Select(d => new object[] { d });

    [Theory]
    [MemberData(nameof(Dimensions))]
    public void SadTile_Vector128AndPortable_EqualScalarTwinExactly(int dimension)
    {
        var random = new Random(dimension + 11);
        byte[] q = new byte[(SadTile.Queries * dimension) + 1];
        byte[] r = new byte[(SadTile.Rows * dimension) + 1];
        random.NextBytes(q);
        random.NextBytes(r);
        if (dimension > 0)
        {
            // Worst case for the 16-bit sums: every difference 255.
            Array.Fill(q, (byte)255, 0, dimension);
            Array.Fill(r, (byte)0, 0, dimension);
        }

        var vector = new uint[8];
        var portable = new uint[8];
        var scalar = new uint[8];
        fixed (byte* pq = q, pr = r)
        fixed (uint* pv = vector, pp = portable, ps = scalar)
        {
            SadTile.ComputeVector128(pq, dimension, pr, dimension, dimension, pv);
            SadTile.ComputeVector128Portable(pq, dimension, pr, dimension, dimension, pp);
            SadTile.ComputeScalar(pq, dimension, pr, dimension, dimension, ps);
        }

        vector.Should().Equal(scalar);
        portable.Should().Equal(scalar);
        if (dimension > 0)
        {
            scalar[0].Should().Be(255u * (uint)dimension, "query 0 against row 0 differs by 255 in every byte");
        }
    }

    [Theory]
    [MemberData(nameof(Dimensions))]
    public void FloatL1_Vector128_WholeNumbersExact_RandomFloatsWithinRounding(int length)
    {
        var random = new Random(length + 17);
        float[] a = Enumerable.Range(0, length).Select(_ => (float)random.Next(256)).ToArray();
        float[] b = Enumerable.Range(0, length).Select(_ => (float)random.Next(256)).ToArray();
        L1Distance.ComputeVector128(a, b).Should().Be(ScalarDistances.L1(a, b), "whole-number sums below 2^24 are exact in any order");

        float[] x = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
        float[] y = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
        L1Distance.ComputeVector128(x, y).Should().BeApproximately(ScalarDistances.L1(x, y), 1e-6f * Math.Max(1, length));
    }

#if NET9_0_OR_GREATER
    public static IEnumerable<object[]> Depths() => new[] { 0, 1, 2, 7, 8, 15, 16, 17, 100, 257 }.Select(d => new object[] { d });

    [Theory]
    [MemberData(nameof(Depths))]
    public void DotTile_Vector128_BitIdenticalToScalarTwin(int depth)
    {
        var random = new Random(depth + 5);
        const int ldb = 21;
        float[] a = Enumerable.Range(0, DotTile.Rows * (depth + 2)).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] b = Enumerable.Range(0, (depth * ldb) + DotTile.Columns).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] start = Enumerable.Range(0, DotTile.Rows * 24).Select(_ => (float)random.NextDouble()).ToArray();
        float[] vector = (float[])start.Clone();
        float[] scalar = (float[])start.Clone();

        fixed (float* pa = a, pb = b, pv = vector, ps = scalar)
        {
            DotTile.AccumulateVector128(pa, depth + 2, pb + 1, ldb, depth, pv, 24);
            DotTile.AccumulateScalar(pa, depth + 2, pb + 1, ldb, depth, ps, 24);
        }

        vector.Should().Equal(scalar, "each C value is one FMA chain in k order on both");
    }

    [Theory]
    [MemberData(nameof(Depths))]
    public void SquaredNormPanel_Vector128_BitIdenticalToScalarTwin(int dimension)
    {
        var random = new Random(dimension + 3);
        var panel = Enumerable.Range(0, 16 * dimension).Select(_ => (float)(random.NextDouble() - 0.5) * 100).ToArray();
        var vector = new float[16];
        var scalar = new float[16];

        SquaredNorm.ComputePanelVector128(panel, dimension, vector);
        SquaredNorm.ComputePanelScalar(panel, dimension, scalar);

        vector.Should().Equal(scalar);
    }
#endif
}
