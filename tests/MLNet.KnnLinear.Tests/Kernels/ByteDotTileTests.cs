using MLNet.KnnLinear.Kernels;

namespace MLNet.KnnLinear.Tests.Kernels;

/// <summary>
/// The integer micro-kernel of byte-row L2 and cosine: every path (the dispatched one, SSE2's, the portable 16-byte
/// one) equals the scalar twin exactly and an int64 reference computed from plain row-major values, across pair
/// counts around its loop and the 32,768-feature limit of its 32-bit sums, with the extreme values of its range.
/// </summary>
public sealed unsafe class ByteDotTileTests
{
    public static IEnumerable<object[]> PairCounts()
        => new[] { 0, 1, 2, 3, 7, 8, 9, 255, 256, 257, 1536, 16_384 }.Select(p => new object[] { p });

    [Theory]
    [MemberData(nameof(PairCounts))]
    public void EveryPath_EqualsTheScalarTwinAndAnInt64Reference(int pairs)
    {
        var random = new Random(pairs + 3);
        int depth = 2 * pairs;
        int lda = depth + 2;   // a stride longer than the depth: the kernel must honour it
        var queries = new short[ByteDotTile.Rows * lda];
        var rows = new byte[ByteDotTile.Columns, depth];
        for (int i = 0; i < ByteDotTile.Rows; i++)
        {
            for (int k = 0; k < depth; k++)
            {
                // Query 0 all −255 and row 0 all 255: the largest magnitude the 32-bit sums must hold.
                queries[(i * lda) + k] = i == 0 ? (short)-255 : (short)random.Next(-255, 256);
            }
        }

        for (int j = 0; j < ByteDotTile.Columns; j++)
        {
            for (int k = 0; k < depth; k++)
            {
                rows[j, k] = j == 0 ? (byte)255 : (byte)random.Next(256);
            }
        }

        var panel = new byte[Math.Max(1, pairs * ByteDotTile.PairBytes)];
        for (int p = 0; p < pairs; p++)
        {
            for (int j = 0; j < ByteDotTile.Columns; j++)
            {
                panel[(p * ByteDotTile.PairBytes) + (2 * j)] = rows[j, 2 * p];
                panel[(p * ByteDotTile.PairBytes) + (2 * j) + 1] = rows[j, (2 * p) + 1];
            }
        }

        const int ldc = ByteDotTile.Columns + 5;
        var start = new int[ByteDotTile.Rows * ldc];
        for (int i = 0; i < start.Length; i++)
        {
            start[i] = random.Next(-1000, 1000);   // the kernel adds to C
        }

        var expected = new long[ByteDotTile.Rows * ldc];
        for (int i = 0; i < ByteDotTile.Rows; i++)
        {
            for (int j = 0; j < ByteDotTile.Columns; j++)
            {
                long sum = start[(i * ldc) + j];
                for (int k = 0; k < depth; k++)
                {
                    sum += (long)queries[(i * lda) + k] * rows[j, k];
                }

                expected[(i * ldc) + j] = sum;
            }
        }

        var dispatched = (int[])start.Clone();
        var vector128 = (int[])start.Clone();
        var portable = (int[])start.Clone();
        var scalar = (int[])start.Clone();
        fixed (short* a = queries)
        fixed (byte* b = panel)
        fixed (int* c1 = dispatched, c2 = vector128, c3 = portable, c4 = scalar)
        {
            ByteDotTile.Accumulate(a, lda, b, pairs, c1, ldc);
            ByteDotTile.AccumulateVector128(a, lda, b, pairs, c2, ldc);
            ByteDotTile.AccumulateVector128Portable(a, lda, b, pairs, c3, ldc);
            ByteDotTile.AccumulateScalar(a, lda, b, pairs, c4, ldc);
        }

        for (int i = 0; i < ByteDotTile.Rows; i++)
        {
            for (int j = 0; j < ByteDotTile.Columns; j++)
            {
                int at = (i * ldc) + j;
                ((long)scalar[at]).Should().Be(expected[at], $"scalar C[{i},{j}] against int64");
                dispatched[at].Should().Be(scalar[at], $"{ByteDotTile.Path} C[{i},{j}]");
                vector128[at].Should().Be(scalar[at], $"vector128 C[{i},{j}]");
                portable[at].Should().Be(scalar[at], $"portable C[{i},{j}]");
            }
        }

        // Untouched padding between C's rows.
        for (int i = 0; i < ByteDotTile.Rows; i++)
        {
            for (int j = ByteDotTile.Columns; j < ldc; j++)
            {
                dispatched[(i * ldc) + j].Should().Be(start[(i * ldc) + j]);
            }
        }
    }
}
