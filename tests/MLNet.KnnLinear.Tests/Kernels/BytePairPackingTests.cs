using MLNet.KnnLinear.Kernels;

namespace MLNet.KnnLinear.Tests.Kernels;

/// <summary>
/// The panel layout of byte rows: the dispatched path (SSE2's 8 × 8 transpositions on x64) writes exactly what the
/// scalar twin writes and what an independent reference built from plain row-major indexing says, for dimensions
/// around its 16-byte step (odd ones with a padding feature), with a row stride longer than the dimension, and
/// leaves the padding byte and everything past the panel untouched.
/// </summary>
public sealed unsafe class BytePairPackingTests
{
    public static IEnumerable<object[]> Dimensions()
        => new[] { 1, 2, 3, 15, 16, 17, 18, 31, 32, 33, 47, 48, 49, 3072, 3073 }.Select(d => new object[] { d });

    [Theory]
    [MemberData(nameof(Dimensions))]
    public void PackPanel_EqualsTheScalarTwinAndAReference(int dimension)
    {
        var random = new Random(dimension);
        const int rows = BytePairPacking.PanelRows;
        int stride = dimension + 5;   // rows farther apart than their length: the kernel must honour the stride
        var source = new byte[(rows * stride) + 1];
        random.NextBytes(source);
        int pairs = (dimension + 1) / 2;
        int panelBytes = pairs * ByteDotTile.PairBytes;

        // The reference: row r's feature k is byte 2r + (k & 1) of pair k / 2.
        var expected = new byte[panelBytes + 64];
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < dimension; k++)
            {
                expected[((k / 2) * ByteDotTile.PairBytes) + (2 * r) + (k % 2)] = source[(r * stride) + k];
            }
        }

        var packed = new byte[panelBytes + 64];
        var scalar = new byte[panelBytes + 64];
        fixed (byte* s = source, p = packed, t = scalar)
        {
            BytePairPacking.PackPanel(s, stride, dimension, p);
            BytePairPacking.PackPanelScalar(s, stride, dimension, t, firstPair: 0);
        }

        scalar.Should().Equal(expected);
        packed.Should().Equal(expected, $"the {BytePairPacking.Path} path");
    }

    [Fact]
    public void APanelsRows_AreBothMicroKernelsColumns()
    {
        MLNet.KnnLinear.Search.PanelStore.PanelRows.Should().Be(ByteDotTile.Columns).And.Be(DotTile.Columns);
    }

    [Fact]
    public void ThePathHere_IsSse2OnX64WithIntrinsics()
    {
        bool sse2 = System.Runtime.Intrinsics.X86.Sse2.IsSupported;
        BytePairPacking.Path.Should().Be(sse2 ? "sse2" : "scalar");
    }
}
