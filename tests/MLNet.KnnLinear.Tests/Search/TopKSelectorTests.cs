using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear.Tests.Search;

public sealed class TopKSelectorTests
{
    [Theory]
    [InlineData(1, 50)]
    [InlineData(3, 50)]
    [InlineData(7, 1000)]
    [InlineData(10, 5)]
    public void TopKSelector_RandomStreamWithTies_EqualsSortedReference(int k, int count)
    {
        var random = new Random(k * count);
        var candidates = Enumerable.Range(0, count).Select(row => (Distance: (float)random.Next(20), Row: row)).ToArray();
        random.Shuffle(candidates);
        var selector = new TopKSelector(k);
        foreach (var (distance, row) in candidates)
        {
            selector.Add(distance, row);
        }

        var distances = new double[k];
        var rows = new int[k];
        int n = selector.CopySorted(distances, rows);

        var expected = candidates.OrderBy(c => c.Distance).ThenBy(c => c.Row).Take(k).ToArray();
        n.Should().Be(expected.Length);
        rows.Take(n).Should().Equal(expected.Select(e => e.Row));
        distances.Take(n).Should().Equal(expected.Select(e => (double)e.Distance));
    }

    [Fact]
    public void TopKSelector_Reset_ForgetsEarlierCandidates()
    {
        var selector = new TopKSelector(2);
        selector.Add(0f, 1);
        selector.Add(0f, 2);
        selector.Reset();
        selector.Add(5f, 9);
        var rows = new int[2];
        selector.CopySorted(new double[2], rows).Should().Be(1);
        rows[0].Should().Be(9);
        selector.Threshold.Should().Be(double.PositiveInfinity, "the selector is not full yet");
    }

    [Fact]
    public void TopKSelector_DistancesAbove2To24ThatFloatWouldMerge_KeepTheirOrder()
    {
        // 16,777,217 and 16,777,216 are the same float; exact squared L2 of pixel rows reaches 10^8 and more.
        var selector = new TopKSelector(2);
        selector.Add(16_777_217d, 0);
        selector.Add(16_777_216d, 5);
        selector.Add(16_777_218d, 1);
        var distances = new double[2];
        var rows = new int[2];
        selector.CopySorted(distances, rows);

        rows.Should().Equal(5, 0);
        distances.Should().Equal(16_777_216d, 16_777_217d);
    }
}
