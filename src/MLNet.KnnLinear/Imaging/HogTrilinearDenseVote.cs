using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNet.KnnLinear.Imaging;

/// <summary>
/// One block's trilinear votes with the block's cell histograms held in registers: each pixel's two-bin split is laid
/// out once as a dense row of 16 bins ((1 − share) at the lower bin, share at the upper, +0 elsewhere) and added, times
/// the pixel's weight for each of the block's (up to four) cells, to that cell's 16 accumulators. This replaces two scattered
/// read-modify-writes per cell with register arithmetic and has no per-pixel branch.
/// <para>
/// Bit-identical to the scalar loop (<see cref="HogTrilinearVoting"/>): each bin's sum takes the same products
/// ((weight · m) · (1 − share) or · share, multiply then add, never fused) in the same pixel order, and every other
/// lane adds (weight · m) · 0 = +0, which leaves a sum of non-negative terms unchanged. Cells a pixel does not vote into
/// have weight 0 and add +0 the same way.
/// </para>
/// </summary>
internal static class HogTrilinearDenseVote
{
    /// <summary>Bins the dense rows hold: orientations above this take the scalar loop.</summary>
    public const int MaxOrientations = 16;

    /// <summary>Cells a block may have for this path (2 × 2 is Dalal and Triggs' and OpenCV's default).</summary>
    public const int MaxCells = 4;

    /// <summary>Whether the path runs here: Vector256 in hardware (it holds 8 accumulators and the row in 16 registers).</summary>
    public static bool IsAccelerated => Vector256.IsHardwareAccelerated;

    /// <summary>Whether a block shape can take this path: 2 to 16 orientations (one bin would put both halves in one lane), at most 4 cells.</summary>
    public static bool Supports(int orientations, int cells) => orientations is >= 2 and <= MaxOrientations && cells <= MaxCells;

    /// <summary>Floats per pixel of the dense rows <see cref="Spread"/> writes.</summary>
    public const int RowLength = MaxOrientations;

    /// <summary>
    /// Pixels of padding after each image row of dense rows. Without it an image row of dense rows is a multiple of
    /// 4 KiB for every width (64 bytes a pixel), so a block's 16 rows fall into the same few L1 sets and evict each other.
    /// </summary>
    public const int PaddingPixels = 1;

    /// <summary>Floats of dense rows for a strip of <paramref name="rows"/> image rows of <paramref name="width"/> pixels.</summary>
    public static long Length(int rows, int width) => (long)rows * (width + PaddingPixels) * RowLength;

    /// <summary>Where the dense row of strip row <paramref name="row"/>, column <paramref name="column"/> starts.</summary>
    public static int Offset(int row, int column, int width) => ((row * (width + PaddingPixels)) + column) * RowLength;

    /// <summary>
    /// Each pixel's dense row, once per pixel (a pixel votes in up to four blocks): (1 − share) at its lower bin,
    /// share at its upper bin, +0 in the other lanes; <see cref="RowLength"/> floats a pixel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Spread(ReadOnlySpan<float> lowBin, ReadOnlySpan<float> highBin, ReadOnlySpan<float> highShare, int width, Span<float> rows)
    {
        var lanesLow = Vector256.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f);
        var lanesHigh = lanesLow + Vector256.Create(8f);
        for (int first = 0; first < lowBin.Length; first += width)
        {
            int at = Offset(first / width, 0, width);
            for (int p = first; p < first + width; p++, at += RowLength)
            {
                var low = Vector256.Create(lowBin[p]);
                var high = Vector256.Create(highBin[p]);
                float share = highShare[p];
                var lowShare = Vector256.Create(1f - share);
                var upShare = Vector256.Create(share);
                var row = rows.Slice(at, RowLength);
                ((Vector256.Equals(lanesLow, low) & lowShare) | (Vector256.Equals(lanesLow, high) & upShare)).CopyTo(row);
                ((Vector256.Equals(lanesHigh, low) & lowShare) | (Vector256.Equals(lanesHigh, high) & upShare)).CopyTo(row[8..]);
            }
        }
    }

    /// <summary>
    /// Per block row, which of the block's cells have a nonzero weight somewhere in that row (bit k for cell k): on a
    /// 2 × 2 block's outer rows only one row of cells votes, and <see cref="Vote"/> skips the pair that adds only +0.
    /// </summary>
    public static byte[] RowCells(ReadOnlySpan<float> weights, int pixelsDown, int pixelsAcross)
    {
        var masks = new byte[pixelsDown];
        for (int i = 0; i < pixelsDown; i++)
        {
            for (int j = 0; j < pixelsAcross; j++)
            {
                for (int k = 0; k < MaxCells; k++)
                {
                    if (weights[(((i * pixelsAcross) + j) * MaxCells) + k] != 0)
                    {
                        masks[i] |= (byte)(1 << k);
                    }
                }
            }
        }

        return masks;
    }

    /// <summary>
    /// The histograms of one block, [cell, orientation], written over <paramref name="block"/>.
    /// </summary>
    /// <param name="magnitude">Per strip pixel: the gradient magnitude.</param>
    /// <param name="rows">Per strip pixel: its dense row (<see cref="Spread"/>, at <see cref="Offset"/>).</param>
    /// <param name="originRow">The strip row of the block's top-left pixel.</param>
    /// <param name="originColumn">Its column.</param>
    /// <param name="width">Strip row length.</param>
    /// <param name="pixelsAcross">Block width in pixels.</param>
    /// <param name="weights">Per block position, <see cref="MaxCells"/> weights (one per cell, 0 where it does not vote).</param>
    /// <param name="rowCells">Per block row, the cells with a nonzero weight in it (<see cref="RowCells"/>); its length is the block height.</param>
    /// <param name="cells">Cells in the block.</param>
    /// <param name="orientations">Bins per cell.</param>
    /// <param name="block">Receives cells × orientations sums.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Vote(ReadOnlySpan<float> magnitude, ReadOnlySpan<float> rows, int originRow, int originColumn, int width, int pixelsAcross, ReadOnlySpan<float> weights, ReadOnlySpan<byte> rowCells, int cells, int orientations, Span<float> block)
    {
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        for (int i = 0; i < rowCells.Length; i++)
        {
            var pixelRows = rows.Slice(Offset(originRow + i, originColumn, width), pixelsAcross * RowLength);
            var pixelMagnitudes = magnitude.Slice(((originRow + i) * width) + originColumn, pixelsAcross);
            var rowWeights = weights.Slice(i * pixelsAcross * MaxCells, pixelsAcross * MaxCells);
            int used = rowCells[i];
            if ((used & 0b1100) == 0)
            {
                (c0, c1, c2, c3) = AddTwoCells(c0, c1, c2, c3, pixelMagnitudes, pixelRows, rowWeights, 0);
            }
            else if ((used & 0b0011) == 0)
            {
                (c4, c5, c6, c7) = AddTwoCells(c4, c5, c6, c7, pixelMagnitudes, pixelRows, rowWeights, 2);
            }
            else
            {
                (c0, c1, c2, c3) = AddTwoCells(c0, c1, c2, c3, pixelMagnitudes, pixelRows, rowWeights, 0);
                (c4, c5, c6, c7) = AddTwoCells(c4, c5, c6, c7, pixelMagnitudes, pixelRows, rowWeights, 2);
            }
        }

        Span<float> dense = stackalloc float[MaxCells * MaxOrientations];
        c0.CopyTo(dense);
        c1.CopyTo(dense[8..]);
        c2.CopyTo(dense[16..]);
        c3.CopyTo(dense[24..]);
        c4.CopyTo(dense[32..]);
        c5.CopyTo(dense[40..]);
        c6.CopyTo(dense[48..]);
        c7.CopyTo(dense[56..]);
        for (int k = 0; k < cells; k++)
        {
            dense.Slice(k * MaxOrientations, orientations).CopyTo(block.Slice(k * orientations, orientations));
        }
    }

    /// <summary>
    /// One block row's votes into cells <paramref name="firstCell"/> and <paramref name="firstCell"/> + 1 (their 16
    /// bins each in two registers, passed in and returned so the loop keeps them in registers). Each cell's sums take
    /// the row's pixels in order, so splitting a row's four cells into two passes changes no sum.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>) AddTwoCells(
        Vector256<float> a0, Vector256<float> a1, Vector256<float> b0, Vector256<float> b1, ReadOnlySpan<float> magnitudes, ReadOnlySpan<float> rows, ReadOnlySpan<float> weights, int firstCell)
    {
        for (int j = 0; j < magnitudes.Length; j++)
        {
            var m = Vector256.Create(magnitudes[j]);
            var d0 = Vector256.Create(rows.Slice(j * RowLength, 8));
            var d1 = Vector256.Create(rows.Slice((j * RowLength) + 8, 8));
            var w = weights.Slice((j * MaxCells) + firstCell, 2);

            // Lane by lane, (weight · m) rounds as the scalar product does.
            var wa = Vector256.Create(w[0]) * m;
            a0 += wa * d0;
            a1 += wa * d1;
            var wb = Vector256.Create(w[1]) * m;
            b0 += wb * d0;
            b1 += wb * d1;
        }

        return (a0, a1, b0, b1);
    }
}
