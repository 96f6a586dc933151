using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace MLNet.KnnLinear.Kernels;

/// <summary>
/// The GEMM micro-kernel behind exact L2 and cosine search: C[6×16] += A[6×kc] · Bᵀ, where A is 6 query rows
/// (row stride <c>lda</c>) and B is one packed panel of 16 database rows, stored k-major (16 consecutive floats per
/// k, see <c>PanelPacking</c>). Twelve Vector256 accumulators stay in registers; per k it loads two B vectors,
/// broadcasts six A values and issues twelve FMAs, which keeps both FMA pipes busy from L1/L2.
/// Every dot product is one FMA chain over k in order, so the scalar twin (MathF.FusedMultiplyAdd in the same
/// order) gives bit-identical results, and so does any blocking of k that carries C between blocks. Without AVX's FMA
/// (Arm64: Apple silicon, Graviton, Ampere) the tile runs on 16-byte vectors with the hardware's fused multiply-add,
/// half the tile's columns at a time, each C value still one FMA chain in k order.
/// </summary>
internal static unsafe class DotTile
{
    public const int Rows = 6;
    public const int Columns = 16;

    public static bool IsAccelerated => Fma.IsSupported && Avx.IsSupported;

#if NET9_0_OR_GREATER
    /// <summary>Whether the 16-byte path has a fused multiply-add in hardware (AdvSimd on Arm64; FMA3 on x86, where the 32-byte path runs first).</summary>
    public static bool IsAccelerated128 => Vector128.IsHardwareAccelerated && (AdvSimd.IsSupported || Fma.IsSupported);
#else
    /// <summary>The 16-byte path needs .NET 9's Vector128.FusedMultiplyAdd; on .NET 8 the tile runs on AVX's FMA or scalar.</summary>
    public static bool IsAccelerated128 => false;
#endif

    /// <summary>The path <see cref="Accumulate(float*, int, float*, int, float*, int)"/> takes here: "fma", "vector128" or "scalar".</summary>
    public static string Path => IsAccelerated ? "fma" : IsAccelerated128 ? "vector128" : "scalar";

    /// <summary>C[i, j] = fma-chain of A[i, k] · B[k, j] over k, continuing from the C given. C has row stride <paramref name="ldc"/>.</summary>
    public static void Accumulate(float* a, int lda, float* b, int kc, float* c, int ldc) => Accumulate(a, lda, b, Columns, kc, c, ldc);

    /// <summary>
    /// The same with B's 16 values for each k at row stride <paramref name="ldb"/>: a 16-column slice of any
    /// row-major matrix, e.g. 16 features of consecutive examples for a gradient Xᵀ·dS.
    /// </summary>
    public static void Accumulate(float* a, int lda, float* b, int ldb, int kc, float* c, int ldc)
    {
        if (IsAccelerated)
        {
            AccumulateFma(a, lda, b, ldb, kc, c, ldc);
        }
#if NET9_0_OR_GREATER
        else if (IsAccelerated128)
        {
            AccumulateVector128(a, lda, b, ldb, kc, c, ldc);
        }
#endif
        else
        {
            AccumulateScalar(a, lda, b, ldb, kc, c, ldc);
        }
    }

#if NET9_0_OR_GREATER
    /// <summary>The 16-byte path: the tile in two halves of 8 columns, 12 accumulators each, one FMA chain per C value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateVector128(float* a, int lda, float* b, int ldb, int kc, float* c, int ldc)
    {
        for (int half = 0; half < Columns; half += 8)
        {
            float* ch = c + half;
            var c00 = Vector128.Load(ch);
            var c01 = Vector128.Load(ch + 4);
            var c10 = Vector128.Load(ch + ldc);
            var c11 = Vector128.Load(ch + ldc + 4);
            var c20 = Vector128.Load(ch + (2 * ldc));
            var c21 = Vector128.Load(ch + (2 * ldc) + 4);
            var c30 = Vector128.Load(ch + (3 * ldc));
            var c31 = Vector128.Load(ch + (3 * ldc) + 4);
            var c40 = Vector128.Load(ch + (4 * ldc));
            var c41 = Vector128.Load(ch + (4 * ldc) + 4);
            var c50 = Vector128.Load(ch + (5 * ldc));
            var c51 = Vector128.Load(ch + (5 * ldc) + 4);
            float* bk = b + half;
            for (int k = 0; k < kc; k++)
            {
                var b0 = Vector128.Load(bk);
                var b1 = Vector128.Load(bk + 4);
                bk += ldb;
                var x = Vector128.Create(a[k]);
                c00 = Vector128.FusedMultiplyAdd(x, b0, c00);
                c01 = Vector128.FusedMultiplyAdd(x, b1, c01);
                x = Vector128.Create(a[lda + k]);
                c10 = Vector128.FusedMultiplyAdd(x, b0, c10);
                c11 = Vector128.FusedMultiplyAdd(x, b1, c11);
                x = Vector128.Create(a[(2 * lda) + k]);
                c20 = Vector128.FusedMultiplyAdd(x, b0, c20);
                c21 = Vector128.FusedMultiplyAdd(x, b1, c21);
                x = Vector128.Create(a[(3 * lda) + k]);
                c30 = Vector128.FusedMultiplyAdd(x, b0, c30);
                c31 = Vector128.FusedMultiplyAdd(x, b1, c31);
                x = Vector128.Create(a[(4 * lda) + k]);
                c40 = Vector128.FusedMultiplyAdd(x, b0, c40);
                c41 = Vector128.FusedMultiplyAdd(x, b1, c41);
                x = Vector128.Create(a[(5 * lda) + k]);
                c50 = Vector128.FusedMultiplyAdd(x, b0, c50);
                c51 = Vector128.FusedMultiplyAdd(x, b1, c51);
            }

            c00.Store(ch);
            c01.Store(ch + 4);
            c10.Store(ch + ldc);
            c11.Store(ch + ldc + 4);
            c20.Store(ch + (2 * ldc));
            c21.Store(ch + (2 * ldc) + 4);
            c30.Store(ch + (3 * ldc));
            c31.Store(ch + (3 * ldc) + 4);
            c40.Store(ch + (4 * ldc));
            c41.Store(ch + (4 * ldc) + 4);
            c50.Store(ch + (5 * ldc));
            c51.Store(ch + (5 * ldc) + 4);
        }
    }
#endif

    /// <summary>The reference twin: the same FMA chains, one value at a time.</summary>
    public static void AccumulateScalar(float* a, int lda, float* b, int kc, float* c, int ldc) => AccumulateScalar(a, lda, b, Columns, kc, c, ldc);

    /// <summary>The reference twin of the strided form.</summary>
    public static void AccumulateScalar(float* a, int lda, float* b, int ldb, int kc, float* c, int ldc)
    {
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Columns; j++)
            {
                float sum = c[(i * ldc) + j];
                for (int k = 0; k < kc; k++)
                {
                    sum = MathF.FusedMultiplyAdd(a[(i * lda) + k], b[(k * ldb) + j], sum);
                }

                c[(i * ldc) + j] = sum;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateFma(float* a, int lda, float* b, int ldb, int kc, float* c, int ldc)
    {
        float* a0 = a;
        float* a1 = a + lda;
        float* a2 = a + (2 * lda);
        float* a3 = a + (3 * lda);
        float* a4 = a + (4 * lda);
        float* a5 = a + (5 * lda);
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
        for (int k = 0; k < kc; k++)
        {
            var b0 = Avx.LoadVector256(b);
            var b1 = Avx.LoadVector256(b + 8);
            b += ldb;
            var x = Vector256.Create(a0[k]);
            c00 = Fma.MultiplyAdd(x, b0, c00);
            c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Vector256.Create(a1[k]);
            c10 = Fma.MultiplyAdd(x, b0, c10);
            c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Vector256.Create(a2[k]);
            c20 = Fma.MultiplyAdd(x, b0, c20);
            c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Vector256.Create(a3[k]);
            c30 = Fma.MultiplyAdd(x, b0, c30);
            c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Vector256.Create(a4[k]);
            c40 = Fma.MultiplyAdd(x, b0, c40);
            c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Vector256.Create(a5[k]);
            c50 = Fma.MultiplyAdd(x, b0, c50);
            c51 = Fma.MultiplyAdd(x, b1, c51);
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
}
