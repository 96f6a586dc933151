using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNet.KnnLinear.Kernels;

/// <summary>
/// The integer GEMM micro-kernel behind exact L2 and cosine search over byte rows (raw pixels):
/// C[6×16] += A[6 × 2p] · Bᵀ in 32-bit integers, where A is 6 queries as 16-bit integers (row stride <c>lda</c>
/// shorts) and B is one byte panel of 16 rows stored as feature pairs: for each pair of features, the 16 rows' two
/// bytes side by side (32 bytes; see <c>BytePanels</c>). AVX2 widens each half-pair-row to 16-bit lanes
/// (<c>vpmovzxbw</c>) and multiplies by a broadcast query pair with <c>vpmaddwd</c>, which adds the two products:
/// 16 multiply-adds per instruction where a float FMA does 8, from a quarter of the row bytes. Integer sums are exact
/// in any order, so every path equals the scalar twin exactly; the caller keeps the sums below 2^31 (queries within
/// ±255 and at most <see cref="MaxDepth"/> features per call).
/// </summary>
internal static unsafe class ByteDotTile
{
    public const int Rows = 6;
    public const int Columns = 16;

    /// <summary>Bytes of one feature pair of a panel: 16 rows × 2 bytes.</summary>
    public const int PairBytes = Columns * 2;

    /// <summary>
    /// Features one call may sum into a fresh C without overflow: 32,768 products of at most 255 × 255 in magnitude
    /// sum to 2,130,739,200, below 2^31.
    /// </summary>
    public const int MaxDepth = 32_768;

    public static bool IsAccelerated => Avx2.IsSupported;

    /// <summary>Whether the 16-byte path runs when AVX2 is missing (SSE2's <c>pmaddwd</c>, else the portable form).</summary>
    public static bool IsAccelerated128 => Vector128.IsHardwareAccelerated;

    /// <summary>The path <see cref="Accumulate"/> takes here: "avx2", "vector128" or "scalar".</summary>
    public static string Path => IsAccelerated ? "avx2" : IsAccelerated128 ? "vector128" : "scalar";

    /// <summary>
    /// C[i, j] += Σ over <paramref name="pairs"/> feature pairs of A[i, 2p]·B[j, 2p] + A[i, 2p+1]·B[j, 2p+1], for
    /// the 6 queries at <paramref name="a"/> and the panel at <paramref name="b"/>. C has row stride <paramref name="ldc"/>.
    /// </summary>
    public static void Accumulate(short* a, int lda, byte* b, int pairs, int* c, int ldc)
    {
        if (IsAccelerated)
        {
            AccumulateAvx2(a, lda, b, pairs, c, ldc);
        }
        else if (IsAccelerated128)
        {
            AccumulateVector128(a, lda, b, pairs, c, ldc);
        }
        else
        {
            AccumulateScalar(a, lda, b, pairs, c, ldc);
        }
    }

    /// <summary>The reference twin: one product at a time, in 32-bit integers as the vector paths.</summary>
    public static void AccumulateScalar(short* a, int lda, byte* b, int pairs, int* c, int ldc)
    {
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Columns; j++)
            {
                int sum = c[(i * ldc) + j];
                for (int p = 0; p < pairs; p++)
                {
                    byte* pair = b + ((long)p * PairBytes) + (2 * j);
                    sum += (a[(i * lda) + (2 * p)] * pair[0]) + (a[(i * lda) + (2 * p) + 1] * pair[1]);
                }

                c[(i * ldc) + j] = sum;
            }
        }
    }

    /// <summary>The 16-byte path: SSE2's <c>pmaddwd</c> where there is one, else the portable form.</summary>
    public static void AccumulateVector128(short* a, int lda, byte* b, int pairs, int* c, int ldc)
    {
        if (Sse2.IsSupported)
        {
            AccumulateSse2(a, lda, b, pairs, c, ldc);
        }
        else
        {
            AccumulateVector128Portable(a, lda, b, pairs, c, ldc);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateAvx2(short* a, int lda, byte* b, int pairs, int* c, int ldc)
    {
        int* a0 = (int*)a;
        int* a1 = (int*)(a + lda);
        int* a2 = (int*)(a + (2 * lda));
        int* a3 = (int*)(a + (3 * lda));
        int* a4 = (int*)(a + (4 * lda));
        int* a5 = (int*)(a + (5 * lda));
        var c00 = Avx.LoadVector256(c);
        var c01 = Avx.LoadVector256(c + 8);
        var c10 = Avx.LoadVector256(c + ldc);
        var c11 = Avx.LoadVector256(c + ldc + 8);
        var c20 = Avx.LoadVector256(c + (2 * ldc));
        var c21 = Avx.LoadVector256(c + (2 * ldc) + 8);
        var c30 = Avx.LoadVector256(c + (3 * ldc));
        var c31 = Avx.LoadVector256(c + (3 * ldc) + 8);
        var c40 = Avx.LoadVector256(c + (4 * ldc));
        var c41 = Avx.LoadVector256(c + (4 * ldc) + 8);
        var c50 = Avx.LoadVector256(c + (5 * ldc));
        var c51 = Avx.LoadVector256(c + (5 * ldc) + 8);
        for (int p = 0; p < pairs; p++)
        {
            // Rows 0–7 and 8–15 of this feature pair, each row's two bytes widened to two 16-bit lanes.
            var b0 = Avx2.ConvertToVector256Int16(b);
            var b1 = Avx2.ConvertToVector256Int16(b + 16);
            b += PairBytes;
            var x = Vector256.Create(a0[p]).AsInt16();
            c00 = Avx2.Add(c00, Avx2.MultiplyAddAdjacent(b0, x));
            c01 = Avx2.Add(c01, Avx2.MultiplyAddAdjacent(b1, x));
            x = Vector256.Create(a1[p]).AsInt16();
            c10 = Avx2.Add(c10, Avx2.MultiplyAddAdjacent(b0, x));
            c11 = Avx2.Add(c11, Avx2.MultiplyAddAdjacent(b1, x));
            x = Vector256.Create(a2[p]).AsInt16();
            c20 = Avx2.Add(c20, Avx2.MultiplyAddAdjacent(b0, x));
            c21 = Avx2.Add(c21, Avx2.MultiplyAddAdjacent(b1, x));
            x = Vector256.Create(a3[p]).AsInt16();
            c30 = Avx2.Add(c30, Avx2.MultiplyAddAdjacent(b0, x));
            c31 = Avx2.Add(c31, Avx2.MultiplyAddAdjacent(b1, x));
            x = Vector256.Create(a4[p]).AsInt16();
            c40 = Avx2.Add(c40, Avx2.MultiplyAddAdjacent(b0, x));
            c41 = Avx2.Add(c41, Avx2.MultiplyAddAdjacent(b1, x));
            x = Vector256.Create(a5[p]).AsInt16();
            c50 = Avx2.Add(c50, Avx2.MultiplyAddAdjacent(b0, x));
            c51 = Avx2.Add(c51, Avx2.MultiplyAddAdjacent(b1, x));
        }

        Avx.Store(c, c00);
        Avx.Store(c + 8, c01);
        Avx.Store(c + ldc, c10);
        Avx.Store(c + ldc + 8, c11);
        Avx.Store(c + (2 * ldc), c20);
        Avx.Store(c + (2 * ldc) + 8, c21);
        Avx.Store(c + (3 * ldc), c30);
        Avx.Store(c + (3 * ldc) + 8, c31);
        Avx.Store(c + (4 * ldc), c40);
        Avx.Store(c + (4 * ldc) + 8, c41);
        Avx.Store(c + (5 * ldc), c50);
        Avx.Store(c + (5 * ldc) + 8, c51);
    }

    /// <summary>SSE2: the tile in four quarters of 4 rows (a quarter's pair bytes widened by unpacking with zero), 6 accumulators each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateSse2(short* a, int lda, byte* b, int pairs, int* c, int ldc)
    {
        int* a0 = (int*)a;
        int* a1 = (int*)(a + lda);
        int* a2 = (int*)(a + (2 * lda));
        int* a3 = (int*)(a + (3 * lda));
        int* a4 = (int*)(a + (4 * lda));
        int* a5 = (int*)(a + (5 * lda));
        for (int half = 0; half < 2; half++)
        {
            // Rows 8·half … 8·half + 7: their pair bytes are the 16 bytes at 16·half of each pair.
            int* ch = c + (8 * half);
            var c00 = Sse2.LoadVector128(ch);
            var c01 = Sse2.LoadVector128(ch + 4);
            var c10 = Sse2.LoadVector128(ch + ldc);
            var c11 = Sse2.LoadVector128(ch + ldc + 4);
            var c20 = Sse2.LoadVector128(ch + (2 * ldc));
            var c21 = Sse2.LoadVector128(ch + (2 * ldc) + 4);
            var c30 = Sse2.LoadVector128(ch + (3 * ldc));
            var c31 = Sse2.LoadVector128(ch + (3 * ldc) + 4);
            var c40 = Sse2.LoadVector128(ch + (4 * ldc));
            var c41 = Sse2.LoadVector128(ch + (4 * ldc) + 4);
            var c50 = Sse2.LoadVector128(ch + (5 * ldc));
            var c51 = Sse2.LoadVector128(ch + (5 * ldc) + 4);
            byte* bp = b + (16 * half);
            var zero = Vector128<byte>.Zero;
            for (int p = 0; p < pairs; p++)
            {
                var bytes = Sse2.LoadVector128(bp);
                bp += PairBytes;
                var b0 = Sse2.UnpackLow(bytes, zero).AsInt16();
                var b1 = Sse2.UnpackHigh(bytes, zero).AsInt16();
                var x = Vector128.Create(a0[p]).AsInt16();
                c00 = Sse2.Add(c00, Sse2.MultiplyAddAdjacent(b0, x));
                c01 = Sse2.Add(c01, Sse2.MultiplyAddAdjacent(b1, x));
                x = Vector128.Create(a1[p]).AsInt16();
                c10 = Sse2.Add(c10, Sse2.MultiplyAddAdjacent(b0, x));
                c11 = Sse2.Add(c11, Sse2.MultiplyAddAdjacent(b1, x));
                x = Vector128.Create(a2[p]).AsInt16();
                c20 = Sse2.Add(c20, Sse2.MultiplyAddAdjacent(b0, x));
                c21 = Sse2.Add(c21, Sse2.MultiplyAddAdjacent(b1, x));
                x = Vector128.Create(a3[p]).AsInt16();
                c30 = Sse2.Add(c30, Sse2.MultiplyAddAdjacent(b0, x));
                c31 = Sse2.Add(c31, Sse2.MultiplyAddAdjacent(b1, x));
                x = Vector128.Create(a4[p]).AsInt16();
                c40 = Sse2.Add(c40, Sse2.MultiplyAddAdjacent(b0, x));
                c41 = Sse2.Add(c41, Sse2.MultiplyAddAdjacent(b1, x));
                x = Vector128.Create(a5[p]).AsInt16();
                c50 = Sse2.Add(c50, Sse2.MultiplyAddAdjacent(b0, x));
                c51 = Sse2.Add(c51, Sse2.MultiplyAddAdjacent(b1, x));
            }

            Sse2.Store(ch, c00);
            Sse2.Store(ch + 4, c01);
            Sse2.Store(ch + ldc, c10);
            Sse2.Store(ch + ldc + 4, c11);
            Sse2.Store(ch + (2 * ldc), c20);
            Sse2.Store(ch + (2 * ldc) + 4, c21);
            Sse2.Store(ch + (3 * ldc), c30);
            Sse2.Store(ch + (3 * ldc) + 4, c31);
            Sse2.Store(ch + (4 * ldc), c40);
            Sse2.Store(ch + (4 * ldc) + 4, c41);
            Sse2.Store(ch + (5 * ldc), c50);
            Sse2.Store(ch + (5 * ldc) + 4, c51);
        }
    }

    /// <summary>
    /// The portable 16-byte path (Arm64's, and any other SIMD hardware): the pair bytes widened to 32-bit lanes and
    /// multiplied by the query pair repeated, each lane keeping its own product sum (row j's two features in lanes
    /// 2j and 2j + 1); the two lanes of a row are added at the end. One query at a time, 8 accumulators.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateVector128Portable(short* a, int lda, byte* b, int pairs, int* c, int ldc)
    {
        Span<int> lanes = stackalloc int[2 * Columns];
        for (int i = 0; i < Rows; i++)
        {
            short* ai = a + (i * lda);
            var s0 = Vector128<int>.Zero;
            var s1 = Vector128<int>.Zero;
            var s2 = Vector128<int>.Zero;
            var s3 = Vector128<int>.Zero;
            var s4 = Vector128<int>.Zero;
            var s5 = Vector128<int>.Zero;
            var s6 = Vector128<int>.Zero;
            var s7 = Vector128<int>.Zero;
            byte* bp = b;
            for (int p = 0; p < pairs; p++)
            {
                var x = Vector128.Create(ai[2 * p], ai[(2 * p) + 1], ai[2 * p], ai[(2 * p) + 1]);
                var (lo, hi) = Vector128.Widen(Vector128.Load(bp));
                var (w0, w1) = Vector128.Widen(lo);
                var (w2, w3) = Vector128.Widen(hi);
                s0 += w0.AsInt32() * x;
                s1 += w1.AsInt32() * x;
                s2 += w2.AsInt32() * x;
                s3 += w3.AsInt32() * x;
                (lo, hi) = Vector128.Widen(Vector128.Load(bp + 16));
                (w0, w1) = Vector128.Widen(lo);
                (w2, w3) = Vector128.Widen(hi);
                s4 += w0.AsInt32() * x;
                s5 += w1.AsInt32() * x;
                s6 += w2.AsInt32() * x;
                s7 += w3.AsInt32() * x;
                bp += PairBytes;
            }

            s0.CopyTo(lanes);
            s1.CopyTo(lanes[4..]);
            s2.CopyTo(lanes[8..]);
            s3.CopyTo(lanes[12..]);
            s4.CopyTo(lanes[16..]);
            s5.CopyTo(lanes[20..]);
            s6.CopyTo(lanes[24..]);
            s7.CopyTo(lanes[28..]);
            for (int j = 0; j < Columns; j++)
            {
                c[(i * ldc) + j] += lanes[2 * j] + lanes[(2 * j) + 1];
            }
        }
    }
}
