using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNet.KnnLinear.Kernels;

/// <summary>
/// Lays 16 row-major byte rows out as one <see cref="ByteDotTile"/> panel: for each feature pair, the 16 rows' two
/// bytes side by side (32 bytes). Written a row at a time, that is one 16-bit store every 32 bytes, the cost that
/// dominated a kNN fit over pixel bytes; here it is a transposition of 16-bit elements, eight rows by eight pairs at a
/// time (SSE2's three rounds of unpacks), so each store writes 16 bytes. Padding (an odd dimension's last feature
/// pair's second byte) is not written: the caller's panel must be zero there. A pure permutation of bytes: every path
/// writes exactly what the scalar twin writes.
/// </summary>
internal static unsafe class BytePairPacking
{
    public const int PanelRows = ByteDotTile.Columns;

    /// <summary>Pairs one transposition step moves per row: 16 bytes.</summary>
    public const int StepPairs = 8;

    /// <summary>The path <see cref="PackPanel"/> takes here: "sse2" (every x64 processor) or "scalar".</summary>
    public static string Path => Sse2.IsSupported ? "sse2" : "scalar";

    /// <summary>
    /// Writes <see cref="PanelRows"/> rows of <paramref name="dimension"/> bytes, row r at
    /// <paramref name="rows"/> + r·<paramref name="rowStride"/>, into the panel at <paramref name="panel"/>.
    /// </summary>
    public static void PackPanel(byte* rows, long rowStride, int dimension, byte* panel)
    {
        if (Sse2.IsSupported)
        {
            PackPanelSse2(rows, rowStride, dimension, panel);
        }
        else
        {
            PackPanelScalar(rows, rowStride, dimension, panel, firstPair: 0);
        }
    }

    /// <summary>The reference twin: one feature pair of one row at a time, from pair <paramref name="firstPair"/> on.</summary>
    public static void PackPanelScalar(byte* rows, long rowStride, int dimension, byte* panel, int firstPair)
    {
        int whole = dimension / 2;
        for (int r = 0; r < PanelRows; r++)
        {
            byte* row = rows + (r * rowStride);
            byte* p = panel + (2 * r);
            for (int k = firstPair; k < whole; k++)
            {
                p[k * ByteDotTile.PairBytes] = row[2 * k];
                p[(k * ByteDotTile.PairBytes) + 1] = row[(2 * k) + 1];
            }

            if ((dimension & 1) != 0)
            {
                p[whole * ByteDotTile.PairBytes] = row[dimension - 1];
            }
        }
    }

    /// <summary>SSE2: each half of the panel (rows 0–7, rows 8–15) by 8 × 8 transpositions of 16-bit pairs, the rest by the scalar twin.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackPanelSse2(byte* rows, long rowStride, int dimension, byte* panel)
    {
        int steps = dimension / 2 / StepPairs;
        for (int half = 0; half < 2; half++)
        {
            byte* r0 = rows + (8 * half * rowStride);
            byte* destination = panel + (16 * half);
            for (int s = 0; s < steps; s++)
            {
                long offset = (long)s * StepPairs * 2;
                TransposeEight(r0 + offset, rowStride, destination + (offset * PanelRows));
            }
        }

        // The pairs past the last whole step and an odd dimension's last feature.
        PackPanelScalar(rows, rowStride, dimension, panel, firstPair: steps * StepPairs);
    }

    /// <summary>
    /// 8 rows × 8 feature pairs (16 bytes a row, at stride <paramref name="rowStride"/>) to 8 pairs × 8 rows: pair j's
    /// 16 bytes go to <paramref name="destination"/> + 32·j.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeEight(byte* row, long rowStride, byte* destination)
    {
        var a0 = Sse2.LoadVector128((ushort*)row);
        var a1 = Sse2.LoadVector128((ushort*)(row + rowStride));
        var a2 = Sse2.LoadVector128((ushort*)(row + (2 * rowStride)));
        var a3 = Sse2.LoadVector128((ushort*)(row + (3 * rowStride)));
        var a4 = Sse2.LoadVector128((ushort*)(row + (4 * rowStride)));
        var a5 = Sse2.LoadVector128((ushort*)(row + (5 * rowStride)));
        var a6 = Sse2.LoadVector128((ushort*)(row + (6 * rowStride)));
        var a7 = Sse2.LoadVector128((ushort*)(row + (7 * rowStride)));

        // Round 1, 16-bit: rows 2i and 2i+1 interleaved (pairs 0–3 in the low result, 4–7 in the high).
        var t0 = Sse2.UnpackLow(a0, a1).AsUInt32();
        var t1 = Sse2.UnpackHigh(a0, a1).AsUInt32();
        var t2 = Sse2.UnpackLow(a2, a3).AsUInt32();
        var t3 = Sse2.UnpackHigh(a2, a3).AsUInt32();
        var t4 = Sse2.UnpackLow(a4, a5).AsUInt32();
        var t5 = Sse2.UnpackHigh(a4, a5).AsUInt32();
        var t6 = Sse2.UnpackLow(a6, a7).AsUInt32();
        var t7 = Sse2.UnpackHigh(a6, a7).AsUInt32();

        // Round 2, 32-bit: rows 0–3 (and 4–7) of two pairs each.
        var u0 = Sse2.UnpackLow(t0, t2).AsUInt64();
        var u1 = Sse2.UnpackHigh(t0, t2).AsUInt64();
        var u2 = Sse2.UnpackLow(t1, t3).AsUInt64();
        var u3 = Sse2.UnpackHigh(t1, t3).AsUInt64();
        var u4 = Sse2.UnpackLow(t4, t6).AsUInt64();
        var u5 = Sse2.UnpackHigh(t4, t6).AsUInt64();
        var u6 = Sse2.UnpackLow(t5, t7).AsUInt64();
        var u7 = Sse2.UnpackHigh(t5, t7).AsUInt64();

        // Round 3, 64-bit: rows 0–7 of one pair each.
        const int pairBytes = ByteDotTile.PairBytes;
        Sse2.Store((ulong*)destination, Sse2.UnpackLow(u0, u4));
        Sse2.Store((ulong*)(destination + pairBytes), Sse2.UnpackHigh(u0, u4));
        Sse2.Store((ulong*)(destination + (2 * pairBytes)), Sse2.UnpackLow(u1, u5));
        Sse2.Store((ulong*)(destination + (3 * pairBytes)), Sse2.UnpackHigh(u1, u5));
        Sse2.Store((ulong*)(destination + (4 * pairBytes)), Sse2.UnpackLow(u2, u6));
        Sse2.Store((ulong*)(destination + (5 * pairBytes)), Sse2.UnpackHigh(u2, u6));
        Sse2.Store((ulong*)(destination + (6 * pairBytes)), Sse2.UnpackLow(u3, u7));
        Sse2.Store((ulong*)(destination + (7 * pairBytes)), Sse2.UnpackHigh(u3, u7));
    }
}
