using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear.Tests.Search;

/// <summary>
/// The native blocks byte panels live in: zero when new, their bytes kept and new bytes zero when grown or shrunk,
/// across the 2 MiB line where Linux maps them as huge pages (small → mapped, mapped → mapped, mapped shrunk in place).
/// </summary>
public sealed unsafe class ZeroedPagesTests
{
    [Fact]
    public void OnLinux_LargeBlocksAreMappedWithHugePageAdvice()
    {
        ZeroedPages.MapsHugePages.Should().Be(OperatingSystem.IsLinux(), "Linux's libc has mmap and madvise");
        nint small = ZeroedPages.Allocate(4096, out bool smallMapped);
        nint large = ZeroedPages.Allocate(ZeroedPages.HugePageBytes, out bool largeMapped);
        smallMapped.Should().BeFalse();
        largeMapped.Should().Be(ZeroedPages.MapsHugePages);
        ZeroedPages.Free(small, 4096, smallMapped);
        ZeroedPages.Free(large, ZeroedPages.HugePageBytes, largeMapped);
    }

    [Theory]
    [InlineData(1_000, 3_000_000, 5_000_000, 1_500_000)]     // small, grown past 2 MiB (mapped), grown, shrunk in place
    [InlineData(3_000_000, 2_500_000, 7_000_000, 100)]       // mapped, shrunk, grown again, shrunk to almost nothing
    [InlineData(10, 20, 5_000, 30)]                          // small all the way (realloc)
    public void Blocks_AreZeroWhenNew_AndKeepTheirBytesWhenResized(long first, long second, long third, long fourth)
    {
        nint start = ZeroedPages.Allocate(first, out bool mapped);
        AllZero(start, 0, first).Should().BeTrue();
        Fill(start, first);
        long held = first;
        foreach (long bytes in new[] { second, third, fourth })
        {
            start = ZeroedPages.Resize(start, held, bytes, ref mapped);
            long kept = Math.Min(held, bytes);
            Holds(start, kept).Should().BeTrue($"the first {kept} bytes survive a resize from {held} to {bytes}");
            AllZero(start, kept, bytes).Should().BeTrue($"bytes past {kept} are zero after a resize to {bytes}");
            Fill(start, bytes);
            held = bytes;
        }

        ZeroedPages.Free(start, held, mapped);
    }

    private static void Fill(nint start, long bytes)
    {
        byte* p = (byte*)start;
        for (long i = 0; i < bytes; i++)
        {
            p[i] = (byte)((i * 7) + 1);
        }
    }

    private static bool Holds(nint start, long bytes)
    {
        byte* p = (byte*)start;
        for (long i = 0; i < bytes; i++)
        {
            if (p[i] != (byte)((i * 7) + 1))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllZero(nint start, long from, long to)
    {
        byte* p = (byte*)start;
        for (long i = from; i < to; i++)
        {
            if (p[i] != 0)
            {
                return false;
            }
        }

        return true;
    }
}
