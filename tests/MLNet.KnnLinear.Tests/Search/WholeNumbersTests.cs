using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear.Tests.Search;

/// <summary>The byte narrowing behind L1 storage against a plain cast, across its 1,024-value chunks and the vector tails.</summary>
public sealed class WholeNumbersTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(1023)]
    [InlineData(1024)]
    [InlineData(1025)]
    [InlineData(3072)]
    [InlineData(5000)]
    public void ToBytes_EqualsScalarCast(int length)
    {
        var random = new Random(length);
        var values = Enumerable.Range(0, length).Select(i => i % 97 == 0 ? 255f : i % 89 == 0 ? 0f : random.Next(256)).ToArray();
        var bytes = new byte[length];

        WholeNumbers.AllWithin(values, 0f, 255f).Should().BeTrue();
        WholeNumbers.ToBytes(values, bytes);

        bytes.Should().Equal(values.Select(v => (byte)v));
    }
}
