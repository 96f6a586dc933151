using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNet.KnnLinear.Kernels;

/// <summary>
/// Σ x_k² of a byte row as an exact 64-bit integer: the squared norm an exact byte index ranks with. Each square is
/// at most 255² = 65,025, which fits a 16-bit lane, so a vector path widens bytes to 16 bits, squares them there, and
/// widens again into 32-bit sums, flushed to 64 bits before any lane could pass 2^32. Integer sums are exact in any
/// order: every path equals the scalar twin exactly. (TensorPrimitives has no widening byte sum of squares; its float
/// one needed a float copy of the row first.)
/// </summary>
internal static class ByteSquaredNorm
{
    /// <summary>The path <see cref="Compute"/> takes here: "vector256", "vector128" or "scalar".</summary>
    public static string Path => Vector256.IsHardwareAccelerated ? "vector256" : Vector128.IsHardwareAccelerated ? "vector128" : "scalar";

    /// <summary>Vector steps between flushes of the 32-bit lanes: each lane takes 4 squares a step, 4 · 65,025 · 8,192 &lt; 2^32.</summary>
    public const int StepsPerFlush = 8_192;

    public static long Compute(ReadOnlySpan<byte> x)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            return ComputeVector256(x);
        }

        return Vector128.IsHardwareAccelerated ? ComputeVector128(x) : ComputeScalar(x);
    }

    /// <summary>The reference twin: one square at a time into 64 bits.</summary>
    public static long ComputeScalar(ReadOnlySpan<byte> x)
    {
        long sum = 0;
        foreach (byte v in x)
        {
            sum += v * v;
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    public static long ComputeVector256(ReadOnlySpan<byte> x)
    {
        int whole = x.Length - (x.Length % Vector256<byte>.Count);
        long sum = 0;
        for (int begin = 0; begin < whole;)
        {
            int end = (int)Math.Min(whole, begin + ((long)StepsPerFlush * Vector256<byte>.Count));
            var lanes = Vector256<uint>.Zero;
            for (; begin < end; begin += Vector256<byte>.Count)
            {
                var (low, high) = Vector256.Widen(Vector256.Create(x.Slice(begin, Vector256<byte>.Count)));
                var (a, b) = Vector256.Widen(low * low);
                var (c, d) = Vector256.Widen(high * high);
                lanes += (a + b) + (c + d);
            }

            sum += Sum(lanes.GetLower()) + Sum(lanes.GetUpper());
        }

        return sum + ComputeScalar(x[whole..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    public static long ComputeVector128(ReadOnlySpan<byte> x)
    {
        int whole = x.Length - (x.Length % Vector128<byte>.Count);
        long sum = 0;
        for (int begin = 0; begin < whole;)
        {
            int end = (int)Math.Min(whole, begin + ((long)StepsPerFlush * Vector128<byte>.Count));
            var lanes = Vector128<uint>.Zero;
            for (; begin < end; begin += Vector128<byte>.Count)
            {
                var (low, high) = Vector128.Widen(Vector128.Create(x.Slice(begin, Vector128<byte>.Count)));
                var (a, b) = Vector128.Widen(low * low);
                var (c, d) = Vector128.Widen(high * high);
                lanes += (a + b) + (c + d);
            }

            sum += Sum(lanes);
        }

        return sum + ComputeScalar(x[whole..]);
    }

    /// <summary>The four 32-bit lanes added in 64 bits (Vector128.Sum would add them in 32 and could wrap).</summary>
    private static long Sum(Vector128<uint> lanes)
    {
        var (low, high) = Vector128.Widen(lanes);
        return (long)Vector128.Sum(low + high);
    }
}
