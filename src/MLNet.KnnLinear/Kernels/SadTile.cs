using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNet.KnnLinear.Kernels;

/// <summary>
/// L1 distances between byte vectors (raw pixels) by <c>vpsadbw</c>, which sums the absolute differences of 32 byte
/// pairs per instruction into four 64-bit lanes: a tile of 4 queries × 2 rows, so each loaded row chunk serves four
/// queries. Where AVX-512BW exists the same tile runs on 64-byte vectors (twice the pairs per instruction; vpsadbw
/// has one port on Intel cores, so wider is the only way to more pairs per cycle). Exact integer arithmetic, so every
/// path must agree exactly with the scalar twin.
/// </summary>
internal static unsafe class SadTile
{
    public const int Queries = 4;
    public const int Rows = 2;

    public static bool IsAccelerated => Avx2.IsSupported;

    public static bool IsAccelerated512 => Avx512BW.IsSupported;

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
        else
        {
            ComputeScalar(q, ldq, r, ldr, dimension, distances);
        }
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
