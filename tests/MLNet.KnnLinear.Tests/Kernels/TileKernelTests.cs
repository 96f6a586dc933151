using MLNet.KnnLinear.Kernels;
using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear.Tests.Kernels;

public sealed unsafe class TileKernelTests
{
    public static IEnumerable<object[]> Depths() => Enumerable.Range(0, 258).Where(n => n < 40 || n % 13 == 0 || n > 250).Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Depths))]
    public void DotTile_RandomFloats_BitIdenticalToScalarTwin(int depth)
    {
        var random = new Random(depth);
        float[] a = Enumerable.Range(0, DotTile.Rows * (depth + 3)).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] b = Enumerable.Range(0, depth * DotTile.Columns).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] start = Enumerable.Range(0, DotTile.Rows * 20).Select(_ => (float)random.NextDouble()).ToArray();
        float[] fast = (float[])start.Clone();
        float[] slow = (float[])start.Clone();

        fixed (float* pa = a, pb = b, pf = fast, ps = slow)
        {
            DotTile.Accumulate(pa, depth + 3, pb, depth, pf, 20);
            DotTile.AccumulateScalar(pa, depth + 3, pb, depth, ps, 20);
        }

        fast.Should().Equal(slow, "both compute each dot product as one FMA chain in k order");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(48)]
    [InlineData(97)]
    public void DotTile_StridedB_BitIdenticalToScalarTwin(int depth)
    {
        const int ldb = 37;
        var random = new Random(depth + 99);
        float[] a = Enumerable.Range(0, DotTile.Rows * depth).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] b = Enumerable.Range(0, (depth * ldb) + DotTile.Columns).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] fast = new float[DotTile.Rows * 40];
        float[] slow = new float[DotTile.Rows * 40];

        fixed (float* pa = a, pb = b, pf = fast, ps = slow)
        {
            DotTile.Accumulate(pa, depth, pb + 3, ldb, depth, pf, 40);
            DotTile.AccumulateScalar(pa, depth, pb + 3, ldb, depth, ps, 40);
        }

        fast.Should().Equal(slow);
    }

    [Fact]
    public void DotTile_HandComputedTile_KnownValues()
    {
        // Query i = (i, 1), row j = (1, j): dot = i + j.
        float[] a = Enumerable.Range(0, DotTile.Rows).SelectMany(i => new[] { (float)i, 1f }).ToArray();
        float[] b = new float[2 * DotTile.Columns];
        for (int j = 0; j < DotTile.Columns; j++)
        {
            b[j] = 1f;
            b[DotTile.Columns + j] = j;
        }

        float[] c = new float[DotTile.Rows * DotTile.Columns];
        fixed (float* pa = a, pb = b, pc = c)
        {
            DotTile.Accumulate(pa, 2, pb, 2, pc, DotTile.Columns);
        }

        for (int i = 0; i < DotTile.Rows; i++)
        {
            for (int j = 0; j < DotTile.Columns; j++)
            {
                c[(i * DotTile.Columns) + j].Should().Be(i + j);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Depths))]
    public void SadTile_RandomBytes_EqualsScalarTwinExactly(int dimension)
    {
        var random = new Random(dimension + 7);
        byte[] q = new byte[SadTile.Queries * dimension];
        byte[] r = new byte[SadTile.Rows * dimension];
        random.NextBytes(q);
        random.NextBytes(r);
        var fast = new uint[8];
        var slow = new uint[8];

        fixed (byte* pq = q, pr = r)
        fixed (uint* pf = fast, ps = slow)
        {
            SadTile.Compute(pq, dimension, pr, dimension, dimension, pf);
            SadTile.ComputeScalar(pq, dimension, pr, dimension, dimension, ps);
        }

        fast.Should().Equal(slow);
    }

    [Fact]
    public void PanelPacking_PackThenUnpack_RestoresEveryRow()
    {
        const int rows = 37;
        const int dim = 5;
        float[] data = Enumerable.Range(0, rows * dim).Select(i => (float)i).ToArray();
        float[] packed = PanelPacking.Pack(data, rows, dim);

        packed.Should().HaveCount(3 * PanelPacking.PanelRows * dim, "37 rows take three panels of 16, the last padded");
        var row = new float[dim];
        for (int r = 0; r < rows; r++)
        {
            PanelPacking.Unpack(packed, r, dim, row);
            row.Should().Equal(data.AsSpan(r * dim, dim).ToArray());
        }
    }
}
