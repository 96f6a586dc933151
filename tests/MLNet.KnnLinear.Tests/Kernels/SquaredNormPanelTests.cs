using MLNet.KnnLinear.Kernels;
using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear.Tests.Kernels;

public sealed class SquaredNormPanelTests
{
    public static IEnumerable<object[]> Dimensions() => new[] { 1, 2, 7, 8, 9, 31, 255, 256, 257, 1000 }.Select(d => new object[] { d });

    [Theory]
    [MemberData(nameof(Dimensions))]
    public void ComputePanel_RandomFloats_BitIdenticalToOneRowAtATimeAndToItsScalarTwin(int dimension)
    {
        var random = new Random(dimension);
        var rows = Enumerable.Range(0, 16).Select(_ => Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() - 0.5) * 100).ToArray()).ToArray();
        var panel = PanelPacking.Pack(rows.SelectMany(r => r).ToArray(), 16, dimension);
        var fast = new float[16];
        var twin = new float[16];

        SquaredNorm.ComputePanel(panel, dimension, fast);
        SquaredNorm.ComputePanelScalar(panel, dimension, twin);

        fast.Should().Equal(twin);
        fast.Should().Equal(rows.Select(r => SquaredNorm.Compute(r)), "each lane is the same FMA chain in k order as one row at a time");
    }

    [Theory]
    [InlineData(new float[] { 0, 1, 255 }, 0f, 255f, true)]
    [InlineData(new float[] { 0, 1, 256 }, 0f, 255f, false)]
    [InlineData(new float[] { 0, -1 }, 0f, 255f, false)]
    [InlineData(new float[] { 0, -1, -255 }, -255f, 255f, true)]
    [InlineData(new float[] { 3, 0.5f }, 0f, 255f, false)]
    [InlineData(new float[] { 3, float.NaN }, 0f, 255f, false)]
    [InlineData(new float[] { -0f, 2 }, 0f, 255f, true)]
    public void WholeNumbers_AllWithin_KnownAnswers(float[] values, float min, float max, bool expected)
    {
        WholeNumbers.AllWithin(values, min, max).Should().Be(expected);
    }

    [Fact]
    public void WholeNumbers_AllWithin_AFractionAfterTheFirstChunk_IsFound()
    {
        var values = Enumerable.Repeat(7f, 5000).ToArray();
        values[4321] = 7.25f;
        WholeNumbers.AllWithin(values, 0f, 255f).Should().BeFalse();
        values[4321] = 8f;
        WholeNumbers.AllWithin(values, 0f, 255f).Should().BeTrue();
    }
}
