using MLNet.KnnLinear.Kernels;

namespace MLNet.KnnLinear.Tests.Kernels;

/// <summary>
/// The exact squared norm of a byte row: every path (Vector256, Vector128, the dispatched one) equals the scalar twin
/// and a plain int64 sum, for lengths around each vector width and around the point where the 32-bit lanes are
/// flushed, with all-255 rows (the largest sums) long enough that an unflushed lane would wrap.
/// </summary>
public sealed class ByteSquaredNormTests
{
    private const int FlushBytes = ByteSquaredNorm.StepsPerFlush * 32;

    public static IEnumerable<object[]> Lengths()
        => new[] { 0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 3072, 150_528, FlushBytes - 1, FlushBytes, FlushBytes + 1, (3 * FlushBytes) + 17 }
            .SelectMany(n => new[] { new object[] { n, false }, new object[] { n, true } });

    [Theory]
    [MemberData(nameof(Lengths))]
    public void EveryPath_EqualsTheScalarTwinAndAnInt64Sum(int length, bool all255)
    {
        var row = new byte[length];
        if (all255)
        {
            Array.Fill(row, (byte)255);
        }
        else
        {
            new Random(length).NextBytes(row);
        }

        long expected = 0;
        foreach (byte b in row)
        {
            expected += (long)b * b;
        }

        ByteSquaredNorm.ComputeScalar(row).Should().Be(expected);
        ByteSquaredNorm.ComputeVector128(row).Should().Be(expected);
        ByteSquaredNorm.ComputeVector256(row).Should().Be(expected);
        ByteSquaredNorm.Compute(row).Should().Be(expected, $"the {ByteSquaredNorm.Path} path");
    }

    [Fact]
    public void AnUnflushedLaneWouldWrap_SoTheLongestTestRowNeedsTheFlush()
    {
        // 4 squares of 255 a lane per 32-byte step: past 16,512 steps a 32-bit lane passes 2^32.
        long perLanePerStep = 4L * 255 * 255;
        (perLanePerStep * ByteSquaredNorm.StepsPerFlush).Should().BeLessThan(1L << 32);
        (perLanePerStep * ((3L * FlushBytes) / 32)).Should().BeGreaterThan(1L << 32);
    }
}
