using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNet.KnnLinear.Kernels;

/// <summary>
/// L1 distances between byte vectors (raw pixels) by <c>vpsadbw</c>, which sums the absolute differences of 32 byte
/// pairs per instruction into four 64-bit lanes: a tile of 4 queries × 2 rows, so each loaded row chunk serves four
/// queries. Where AVX-512BW exists the same tile runs on 64-byte vectors (twice the pairs per instruction; vpsadbw
/// has one port on Intel cores, so wider is the only way to more pairs per cycle). Without AVX2 (older x86, Arm64:
/// Apple silicon, Graviton, Ampere) the tile runs on 16-byte vectors: <c>psadbw</c> where SSE2 has it, else a portable
/// <see cref="Vector128"/> form (|a − b| as max − min, summed in 16-bit then 32-bit lanes). Exact integer arithmetic,
/// so every path must agree exactly with the scalar twin.
/// </summary>
internal static unsafe class SadTile
{
    public const int Queries = 4;
    public const int Rows = 2;

    public static bool IsAccelerated => Avx2.IsSupported;

    public static bool IsAccelerated512 => Avx512BW.IsSupported;

    /// <summary>Whether the 16-byte path runs when AVX2 is missing (any SIMD hardware .NET drives: SSE2, AdvSimd).</summary>
    public static bool IsAccelerated128 => Vector128.IsHardwareAccelerated;

    /// <summary>The path <see cref="Compute"/> takes here: "avx512", "avx2", "vector128" or "scalar".</summary>
    public static string Path => IsAccelerated512 ? "avx512" : IsAccelerated ? "avx2" : IsAccelerated128 ? "vector128" : "scalar";

    /// <summary>
    /// distances[i * 2 + j] = Σ_k |q_i[k] − r_j[k]| for the 4 queries at <paramref name="q"/> (stride
    /// <paramref name="ldq"/>) and the 2 rows at <paramref name="r"/> (stride <paramref name="ldr"/>).
    /// </summary>
    public static void Compute(byte* q, int ldq, byte* r, int ldr, int dimension, uint* distances)
    {
        if (IsAccelerated512)
        {
            ComputeAvx512(q, ldq, r, ldr, dimension, distances);
        }
        else if (IsAccelerated)
        {
            ComputeAvx2(q, ldq, r, ldr, dimension, distances);
        }
        else if (IsAccelerated128)
        {
            ComputeVector128(q, ldq, r, ldr, dimension, distances);
        }
        else
        {
            ComputeScalar(q, ldq, r, ldr, dimension, distances);
        }
    }

    /// <summary>The 16-byte path: SSE2's <c>psadbw</c> where there is one, else the portable form.</summary>
    public static void ComputeVector128(byte* q, int ldq, byte* r, int ldr, int dimension, uint* distances)
    {
        if (Sse2.IsSupported)
        {
            ComputeSse2(q, ldq, r, ldr, dimension, distances);
        }
        else
        {
            ComputeVector128Portable(q, ldq, r, ldr, dimension, distances);
        }
    }

    /// <summary>
    /// The portable 16-byte path (Arm64's, and any other SIMD hardware): |a − b| = max − min per byte, widened to
    /// 16-bit lanes and summed there for up to 128 chunks (each lane gains at most 2 × 255 a chunk, so 128 chunks stay
    /// below 2^16), then added into 32-bit lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ComputeVector128Portable(byte* q, int ldq, byte* r, int ldr, int dimension, uint* distances)
    {
        const int ChunksPerFlush = 128;
        var totals = stackalloc Vector128<uint>[Queries * Rows];
        for (int t = 0; t < Queries * Rows; t++)
        {
            totals[t] = Vector128<uint>.Zero;
        }

        int k = 0;
        while (k <= dimension - 16)
        {
            int end = Math.Min(dimension - 15, k + (ChunksPerFlush * 16));
            var s00 = Vector128<ushort>.Zero;
            var s01 = Vector128<ushort>.Zero;
            var s10 = Vector128<ushort>.Zero;
            var s11 = Vector128<ushort>.Zero;
            var s20 = Vector128<ushort>.Zero;
            var s21 = Vector128<ushort>.Zero;
            var s30 = Vector128<ushort>.Zero;
            var s31 = Vector128<ushort>.Zero;
            for (; k < end; k += 16)
            {
                var x0 = Vector128.Load(r + k);
                var x1 = Vector128.Load(r + ldr + k);
                s00 += AbsoluteDifferencePairs(Vector128.Load(q + k), x0);
                s01 += AbsoluteDifferencePairs(Vector128.Load(q + k), x1);
                s10 += AbsoluteDifferencePairs(Vector128.Load(q + ldq + k), x0);
                s11 += AbsoluteDifferencePairs(Vector128.Load(q + ldq + k), x1);
                s20 += AbsoluteDifferencePairs(Vector128.Load(q + (2 * ldq) + k), x0);
                s21 += AbsoluteDifferencePairs(Vector128.Load(q + (2 * ldq) + k), x1);
                s30 += AbsoluteDifferencePairs(Vector128.Load(q + (3 * ldq) + k), x0);
                s31 += AbsoluteDifferencePairs(Vector128.Load(q + (3 * ldq) + k), x1);
            }

            totals[0] += Widened(s00);
            totals[1] += Widened(s01);
            totals[2] += Widened(s10);
            totals[3] += Widened(s11);
            totals[4] += Widened(s20);
            totals[5] += Widened(s21);
            totals[6] += Widened(s30);
            totals[7] += Widened(s31);
        }

        for (int i = 0; i < Queries; i++)
        {
            for (int j = 0; j < Rows; j++)
            {
                distances[(i * Rows) + j] = Vector128.Sum(totals[(i * Rows) + j]) + Scalar(q + (i * ldq), r + (j * ldr), k, dimension);
            }
        }
    }

    /// <summary>|a − b| of 16 byte pairs, as eight 16-bit sums of two neighbours' worth (low half + high half).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ushort> AbsoluteDifferencePairs(Vector128<byte> a, Vector128<byte> b)
    {
        var difference = Vector128.Max(a, b) - Vector128.Min(a, b);
        var (low, high) = Vector128.Widen(difference);
        return low + high;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Widened(Vector128<ushort> sums)
    {
        var (low, high) = Vector128.Widen(sums);
        return low + high;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ComputeSse2(byte* q, int ldq, byte* r, int ldr, int dimension, uint* distances)
    {
        byte* q0 = q;
        byte* q1 = q + ldq;
        byte* q2 = q + (2 * ldq);
        byte* q3 = q + (3 * ldq);
        byte* r0 = r;
        byte* r1 = r + ldr;
        var s00 = Vector128<ulong>.Zero;
        var s01 = Vector128<ulong>.Zero;
        var s10 = Vector128<ulong>.Zero;
        var s11 = Vector128<ulong>.Zero;
        var s20 = Vector128<ulong>.Zero;
        var s21 = Vector128<ulong>.Zero;
        var s30 = Vector128<ulong>.Zero;
        var s31 = Vector128<ulong>.Zero;
        int k = 0;
        for (; k <= dimension - 16; k += 16)
        {
            var x0 = Sse2.LoadVector128(r0 + k);
            var x1 = Sse2.LoadVector128(r1 + k);
            var y = Sse2.LoadVector128(q0 + k);
            s00 = Sse2.Add(s00, Sse2.SumAbsoluteDifferences(y, x0).AsUInt64());
            s01 = Sse2.Add(s01, Sse2.SumAbsoluteDifferences(y, x1).AsUInt64());
            y = Sse2.LoadVector128(q1 + k);
            s10 = Sse2.Add(s10, Sse2.SumAbsoluteDifferences(y, x0).AsUInt64());
            s11 = Sse2.Add(s11, Sse2.SumAbsoluteDifferences(y, x1).AsUInt64());
            y = Sse2.LoadVector128(q2 + k);
            s20 = Sse2.Add(s20, Sse2.SumAbsoluteDifferences(y, x0).AsUInt64());
            s21 = Sse2.Add(s21, Sse2.SumAbsoluteDifferences(y, x1).AsUInt64());
            y = Sse2.LoadVector128(q3 + k);
            s30 = Sse2.Add(s30, Sse2.SumAbsoluteDifferences(y, x0).AsUInt64());
            s31 = Sse2.Add(s31, Sse2.SumAbsoluteDifferences(y, x1).AsUInt64());
        }

        distances[0] = (uint)Vector128.Sum(s00) + Scalar(q0, r0, k, dimension);
        distances[1] = (uint)Vector128.Sum(s01) + Scalar(q0, r1, k, dimension);
        distances[2] = (uint)Vector128.Sum(s10) + Scalar(q1, r0, k, dimension);
        distances[3] = (uint)Vector128.Sum(s11) + Scalar(q1, r1, k, dimension);
        distances[4] = (uint)Vector128.Sum(s20) + Scalar(q2, r0, k, dimension);
        distances[5] = (uint)Vector128.Sum(s21) + Scalar(q2, r1, k, dimension);
        distances[6] = (uint)Vector128.Sum(s30) + Scalar(q3, r0, k, dimension);
        distances[7] = (uint)Vector128.Sum(s31) + Scalar(q3, r1, k, dimension);
    }

    /// <summary>The reference twin.</summary>
    public static void ComputeScalar(byte* q, int ldq, byte* r, int ldr, int dimension, uint* distances)
    {
        for (int i = 0; i < Queries; i++)
        {
            for (int j = 0; j < Rows; j++)
            {
                distances[(i * Rows) + j] = Scalar(q + (i * ldq), r + (j * ldr), 0, dimension);
            }
        }
    }

    /// <summary>Σ |a[k] − b[k]| for k in [from, to).</summary>
    public static uint Scalar(byte* a, byte* b, int from, int to)
    {
        uint sum = 0;
        for (int k = from; k < to; k++)
        {
            sum += (uint)Math.Abs(a[k] - b[k]);
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ComputeAvx2(byte* q, int ldq, byte* r, int ldr, int dimension, uint* distances)
    {
        byte* q0 = q;
        byte* q1 = q + ldq;
        byte* q2 = q + (2 * ldq);
        byte* q3 = q + (3 * ldq);
        byte* r0 = r;
        byte* r1 = r + ldr;
        var s00 = Vector256<ulong>.Zero;
        var s01 = Vector256<ulong>.Zero;
        var s10 = Vector256<ulong>.Zero;
        var s11 = Vector256<ulong>.Zero;
        var s20 = Vector256<ulong>.Zero;
        var s21 = Vector256<ulong>.Zero;
        var s30 = Vector256<ulong>.Zero;
        var s31 = Vector256<ulong>.Zero;
        int k = 0;
        for (; k <= dimension - 32; k += 32)
        {
            var x0 = Avx.LoadVector256(r0 + k);
            var x1 = Avx.LoadVector256(r1 + k);
            var y = Avx.LoadVector256(q0 + k);
            s00 = Avx2.Add(s00, Avx2.SumAbsoluteDifferences(y, x0).AsUInt64());
            s01 = Avx2.Add(s01, Avx2.SumAbsoluteDifferences(y, x1).AsUInt64());
            y = Avx.LoadVector256(q1 + k);
            s10 = Avx2.Add(s10, Avx2.SumAbsoluteDifferences(y, x0).AsUInt64());
            s11 = Avx2.Add(s11, Avx2.SumAbsoluteDifferences(y, x1).AsUInt64());
            y = Avx.LoadVector256(q2 + k);
            s20 = Avx2.Add(s20, Avx2.SumAbsoluteDifferences(y, x0).AsUInt64());
            s21 = Avx2.Add(s21, Avx2.SumAbsoluteDifferences(y, x1).AsUInt64());
            y = Avx.LoadVector256(q3 + k);
            s30 = Avx2.Add(s30, Avx2.SumAbsoluteDifferences(y, x0).AsUInt64());
            s31 = Avx2.Add(s31, Avx2.SumAbsoluteDifferences(y, x1).AsUInt64());
        }

        distances[0] = (uint)Vector256.Sum(s00) + Scalar(q0, r0, k, dimension);
        distances[1] = (uint)Vector256.Sum(s01) + Scalar(q0, r1, k, dimension);
        distances[2] = (uint)Vector256.Sum(s10) + Scalar(q1, r0, k, dimension);
        distances[3] = (uint)Vector256.Sum(s11) + Scalar(q1, r1, k, dimension);
        distances[4] = (uint)Vector256.Sum(s20) + Scalar(q2, r0, k, dimension);
        distances[5] = (uint)Vector256.Sum(s21) + Scalar(q2, r1, k, dimension);
        distances[6] = (uint)Vector256.Sum(s30) + Scalar(q3, r0, k, dimension);
        distances[7] = (uint)Vector256.Sum(s31) + Scalar(q3, r1, k, dimension);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ComputeAvx512(byte* q, int ldq, byte* r, int ldr, int dimension, uint* distances)
    {
        byte* q0 = q;
        byte* q1 = q + ldq;
        byte* q2 = q + (2 * ldq);
        byte* q3 = q + (3 * ldq);
        byte* r0 = r;
        byte* r1 = r + ldr;
        var s00 = Vector512<ulong>.Zero;
        var s01 = Vector512<ulong>.Zero;
        var s10 = Vector512<ulong>.Zero;
        var s11 = Vector512<ulong>.Zero;
        var s20 = Vector512<ulong>.Zero;
        var s21 = Vector512<ulong>.Zero;
        var s30 = Vector512<ulong>.Zero;
        var s31 = Vector512<ulong>.Zero;
        int k = 0;
        for (; k <= dimension - 64; k += 64)
        {
            var x0 = Vector512.Load(r0 + k);
            var x1 = Vector512.Load(r1 + k);
            var y = Vector512.Load(q0 + k);
            s00 = Avx512F.Add(s00, Avx512BW.SumAbsoluteDifferences(y, x0).AsUInt64());
            s01 = Avx512F.Add(s01, Avx512BW.SumAbsoluteDifferences(y, x1).AsUInt64());
            y = Vector512.Load(q1 + k);
            s10 = Avx512F.Add(s10, Avx512BW.SumAbsoluteDifferences(y, x0).AsUInt64());
            s11 = Avx512F.Add(s11, Avx512BW.SumAbsoluteDifferences(y, x1).AsUInt64());
            y = Vector512.Load(q2 + k);
            s20 = Avx512F.Add(s20, Avx512BW.SumAbsoluteDifferences(y, x0).AsUInt64());
            s21 = Avx512F.Add(s21, Avx512BW.SumAbsoluteDifferences(y, x1).AsUInt64());
            y = Vector512.Load(q3 + k);
            s30 = Avx512F.Add(s30, Avx512BW.SumAbsoluteDifferences(y, x0).AsUInt64());
            s31 = Avx512F.Add(s31, Avx512BW.SumAbsoluteDifferences(y, x1).AsUInt64());
        }

        distances[0] = (uint)Vector512.Sum(s00) + Scalar(q0, r0, k, dimension);
        distances[1] = (uint)Vector512.Sum(s01) + Scalar(q0, r1, k, dimension);
        distances[2] = (uint)Vector512.Sum(s10) + Scalar(q1, r0, k, dimension);
        distances[3] = (uint)Vector512.Sum(s11) + Scalar(q1, r1, k, dimension);
        distances[4] = (uint)Vector512.Sum(s20) + Scalar(q2, r0, k, dimension);
        distances[5] = (uint)Vector512.Sum(s21) + Scalar(q2, r1, k, dimension);
        distances[6] = (uint)Vector512.Sum(s30) + Scalar(q3, r0, k, dimension);
        distances[7] = (uint)Vector512.Sum(s31) + Scalar(q3, r1, k, dimension);
    }
}
