using System.Runtime.InteropServices;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// Zeroed native memory for large row stores. Laying pixel rows out writes fresh memory, and the first write to each
/// 4 KiB page is a page fault: on the 2-core AMD EPYC VM this library is measured on, writing 150 MB of fresh pages
/// took 135 ms against 9 ms for the same bytes once faulted in, most of a 50,000-image kNN fit. So on Linux a block
/// of at least <see cref="HugePageBytes"/> is mapped anonymously and advised as transparent huge pages
/// (<c>madvise(MADV_HUGEPAGE)</c>, honoured where the system's THP mode is "madvise" or "always"): one fault per 2 MiB,
/// 23–25 ms for the same 150 MB. Smaller blocks (an inverted file's small lists), other systems, or a libc without
/// these calls get <see cref="NativeMemory.AllocZeroed(nuint)"/>. Growing or shrinking a block keeps its bytes and
/// zeroes what is new.
/// </summary>
internal static unsafe class ZeroedPages
{
    /// <summary>The size of a transparent huge page on x64 and Arm64 Linux, and the smallest block mapped.</summary>
    public const long HugePageBytes = 2L << 20;

    /// <summary>
    /// The AppContext switch that turns the huge-page mapping off (calloc for every block), for a service that keeps
    /// THP off for latency: <c>&lt;RuntimeHostConfigurationOption Include="MLNet.KnnLinear.DisableHugePages" Value="true" /&gt;</c>
    /// in the application's project, or <c>AppContext.SetSwitch</c> before the first index is built.
    /// </summary>
    public const string DisableSwitch = "MLNet.KnnLinear.DisableHugePages";

    private const int ProtectReadWrite = 0x1 | 0x2;         // PROT_READ | PROT_WRITE
    private const int MapPrivateAnonymous = 0x02 | 0x20;    // MAP_PRIVATE | MAP_ANONYMOUS (x64 and Arm64 Linux)
    private const int AdviseHugePage = 14;                  // MADV_HUGEPAGE

    private static readonly delegate* unmanaged<nint, nuint, int, int, int, nint, nint> s_mmap;
    private static readonly delegate* unmanaged<nint, nuint, int> s_munmap;
    private static readonly delegate* unmanaged<nint, nuint, int, int> s_madvise;

    static ZeroedPages()
    {
        if (!OperatingSystem.IsLinux() || (AppContext.TryGetSwitch(DisableSwitch, out bool disabled) && disabled))
        {
            return;
        }

        foreach (string name in new[] { "libc.so.6", "libc" })
        {
            if (NativeLibrary.TryLoad(name, out nint libc)
                && NativeLibrary.TryGetExport(libc, "mmap", out nint mmap)
                && NativeLibrary.TryGetExport(libc, "munmap", out nint munmap)
                && NativeLibrary.TryGetExport(libc, "madvise", out nint madvise))
            {
                s_mmap = (delegate* unmanaged<nint, nuint, int, int, int, nint, nint>)mmap;
                s_munmap = (delegate* unmanaged<nint, nuint, int>)munmap;
                s_madvise = (delegate* unmanaged<nint, nuint, int, int>)madvise;
                return;
            }
        }
    }

    /// <summary>Whether large blocks are mapped with huge-page advice here (Linux with a libc that has the calls).</summary>
    public static bool MapsHugePages => s_mmap is not null;

    /// <summary>A block of <paramref name="bytes"/> zero bytes (at least one), and whether it was mapped (for <see cref="Resize"/> and <see cref="Free"/>).</summary>
    public static nint Allocate(long bytes, out bool mapped)
    {
        mapped = MapsHugePages && bytes >= HugePageBytes;
        if (!mapped)
        {
            return (nint)NativeMemory.AllocZeroed((nuint)Math.Max(1, bytes));
        }

        nint start = s_mmap(0, (nuint)bytes, ProtectReadWrite, MapPrivateAnonymous, -1, 0);
        if (start == -1)
        {
            throw new OutOfMemoryException($"Could not map {bytes:N0} bytes of memory for index rows.");
        }

        _ = s_madvise(start, (nuint)bytes, AdviseHugePage); // advice only: where THP is off the pages are ordinary
        return start;
    }

    /// <summary>
    /// The block at <paramref name="start"/> (<paramref name="held"/> bytes) as <paramref name="bytes"/> bytes: its
    /// first min(held, bytes) bytes kept, the rest zero. A mapped block shrinks in place (its tail pages unmapped) and
    /// grows by a new block and one copy; a small block grows past <see cref="HugePageBytes"/> into a mapped one.
    /// </summary>
    public static nint Resize(nint start, long held, long bytes, ref bool mapped)
    {
        if (mapped && bytes <= held)
        {
            long page = Environment.SystemPageSize;
            long keep = Math.Max(page, (bytes + page - 1) / page * page);
            long end = (held + page - 1) / page * page;
            if (end > keep)
            {
                _ = s_munmap(start + (nint)keep, (nuint)(end - keep));
            }

            return start;
        }

        if (!mapped && !(MapsHugePages && bytes >= HugePageBytes))
        {
            nint moved = (nint)NativeMemory.Realloc((void*)start, (nuint)Math.Max(1, bytes));
            if (bytes > held)
            {
                NativeMemory.Clear((byte*)moved + held, (nuint)(bytes - held));
            }

            return moved;
        }

        nint grown = Allocate(bytes, out bool grownMapped);
        Buffer.MemoryCopy((void*)start, (void*)grown, bytes, Math.Min(held, bytes));
        Free(start, held, mapped);
        mapped = grownMapped;
        return grown;
    }

    /// <summary>Gives the block back.</summary>
    public static void Free(nint start, long bytes, bool mapped)
    {
        if (start == 0)
        {
            return;
        }

        if (mapped)
        {
            _ = s_munmap(start, (nuint)bytes);
        }
        else
        {
            NativeMemory.Free((void*)start);
        }
    }
}
