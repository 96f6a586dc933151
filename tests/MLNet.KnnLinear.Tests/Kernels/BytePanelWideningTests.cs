using MLNet.KnnLinear.Kernels;

namespace MLNet.KnnLinear.Tests.Kernels;

/// <summary>
/// Widening a byte panel's features to floats: the Vector256 and Vector128 paths equal the scalar twin for every
/// start and length around a pair (odd and even first and last features), with bytes of every value including 255
/// (the high byte of a pair read as a ushort), and the floats are the bytes themselves.
/// </summary>
public sealed unsafe class BytePanelWideningTests
{
    private const int Pairs = 9;

    public static IEnumerable<object[]> Ranges()
    {
        foreach (int k0 in new[] { 0, 1, 2, 3, 7 })
        {
            foreach (int kc in new[] { 0, 1, 2, 3, 4, 5, 10, 11 })
            {
                if (k0 + kc <= 2 * Pairs)
                {
                    yield return [k0, kc];
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Ranges))]
    public void EveryPath_EqualsTheScalarTwinAndTheBytes(int k0, int kc)
    {
        var panel = new byte[Pairs * ByteDotTile.PairBytes];
        new Random((k0 * 31) + kc).NextBytes(panel);
        panel[0] = 255;
        panel[^1] = 255;
        var expected = new float[Math.Max(1, kc) * 16];
        var scalar = new float[expected.Length];
        var v128 = new float[expected.Length];
        var v256 = new float[expected.Length];
        var dispatched = new float[expected.Length];
        for (int k = 0; k < kc; k++)
        {
            for (int lane = 0; lane < 16; lane++)
            {
                int feature = k0 + k;
                expected[(k * 16) + lane] = panel[((feature >> 1) * ByteDotTile.PairBytes) + (2 * lane) + (feature & 1)];
            }
        }

        fixed (byte* p = panel)
        fixed (float* s = scalar, a = v128, b = v256, d = dispatched)
        {
            BytePanelWidening.WidenScalar(p, k0, kc, s);
            BytePanelWidening.WidenVector128(p, k0, kc, a);
            BytePanelWidening.WidenVector256(p, k0, kc, b);
            BytePanelWidening.Widen(p, k0, kc, d);
        }

        scalar.Should().Equal(expected);
        v128.Should().Equal(expected);
        v256.Should().Equal(expected);
        dispatched.Should().Equal(expected, $"the {BytePanelWidening.Path} path");
    }
}
