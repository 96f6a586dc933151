using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLNet.KnnLinear.Kernels;

/// <summary>
/// Distances from a float query to one 8-bit scalar-quantized code, decoding inside the sum (faiss' fused
/// distance computer; no decoded row is written): the code's value j is middle_j + step_j · c_j. One code at a time,
/// what a graph walk compares (an HNSW graph of codes). No library has this kernel: 16 codes are widened at a time to
/// two Vector256 (or four Vector128) of floats and folded in with multiplies and adds; <see cref="SquaredL2Scalar"/> and
/// <see cref="DotScalar"/> are the twins every path is tested against (sums in another order: equal to float rounding).
/// </summary>
internal static class CodeDistance
{
    /// <summary>Σ (q_j − (middle_j + step_j c_j))².</summary>
    public static float SquaredL2(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
        => Vector256.IsHardwareAccelerated ? SquaredL2Vector256(query, code, middle, step)
            : Vector128.IsHardwareAccelerated ? SquaredL2Vector128(query, code, middle, step)
            : SquaredL2Scalar(query, code, middle, step);

    /// <summary>Σ q_j (middle_j + step_j c_j).</summary>
    public static float Dot(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
        => Vector256.IsHardwareAccelerated ? DotVector256(query, code, middle, step)
            : Vector128.IsHardwareAccelerated ? DotVector128(query, code, middle, step)
            : DotScalar(query, code, middle, step);

    public static float SquaredL2Scalar(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
    {
        float sum = 0f;
        for (int j = 0; j < code.Length; j++)
        {
            float diff = query[j] - (middle[j] + (step[j] * code[j]));
            sum += diff * diff;
        }

        return sum;
    }

    public static float DotScalar(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
    {
        float sum = 0f;
        for (int j = 0; j < code.Length; j++)
        {
            sum += query[j] * (middle[j] + (step[j] * code[j]));
        }

        return sum;
    }

    public static float SquaredL2Vector256(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
    {
        Check(query, code, middle, step);
        ref float q = ref MemoryMarshal.GetReference(query);
        ref float m = ref MemoryMarshal.GetReference(middle);
        ref float s = ref MemoryMarshal.GetReference(step);
        ref byte c = ref MemoryMarshal.GetReference(code);
        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        int j = 0;
        for (; j <= code.Length - 16; j += 16)
        {
            var (low, high) = Widen256(ref c, j);
            var d0 = Vector256.LoadUnsafe(ref q, (nuint)j) - MultiplyAdd(Vector256.LoadUnsafe(ref s, (nuint)j), low, Vector256.LoadUnsafe(ref m, (nuint)j));
            var d1 = Vector256.LoadUnsafe(ref q, (nuint)(j + 8)) - MultiplyAdd(Vector256.LoadUnsafe(ref s, (nuint)(j + 8)), high, Vector256.LoadUnsafe(ref m, (nuint)(j + 8)));
            acc0 = MultiplyAdd(d0, d0, acc0);
            acc1 = MultiplyAdd(d1, d1, acc1);
        }

        return Vector256.Sum(acc0 + acc1) + SquaredL2Scalar(query[j..], code[j..], middle[j..], step[j..]);
    }

    public static float SquaredL2Vector128(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
    {
        Check(query, code, middle, step);
        ref float q = ref MemoryMarshal.GetReference(query);
        ref float m = ref MemoryMarshal.GetReference(middle);
        ref float s = ref MemoryMarshal.GetReference(step);
        ref byte c = ref MemoryMarshal.GetReference(code);
        var acc = Vector128<float>.Zero;
        int j = 0;
        for (; j <= code.Length - 16; j += 16)
        {
            var quarters = Widen128(ref c, j);
            for (int i = 0; i < 4; i++)
            {
                nuint at = (nuint)(j + (4 * i));
                var d = Vector128.LoadUnsafe(ref q, at) - MultiplyAdd(Vector128.LoadUnsafe(ref s, at), quarters[i], Vector128.LoadUnsafe(ref m, at));
                acc = MultiplyAdd(d, d, acc);
            }
        }

        return Vector128.Sum(acc) + SquaredL2Scalar(query[j..], code[j..], middle[j..], step[j..]);
    }

    public static float DotVector256(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
    {
        Check(query, code, middle, step);
        ref float q = ref MemoryMarshal.GetReference(query);
        ref float m = ref MemoryMarshal.GetReference(middle);
        ref float s = ref MemoryMarshal.GetReference(step);
        ref byte c = ref MemoryMarshal.GetReference(code);
        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        int j = 0;
        for (; j <= code.Length - 16; j += 16)
        {
            var (low, high) = Widen256(ref c, j);
            acc0 = MultiplyAdd(Vector256.LoadUnsafe(ref q, (nuint)j), MultiplyAdd(Vector256.LoadUnsafe(ref s, (nuint)j), low, Vector256.LoadUnsafe(ref m, (nuint)j)), acc0);
            acc1 = MultiplyAdd(Vector256.LoadUnsafe(ref q, (nuint)(j + 8)), MultiplyAdd(Vector256.LoadUnsafe(ref s, (nuint)(j + 8)), high, Vector256.LoadUnsafe(ref m, (nuint)(j + 8))), acc1);
        }

        return Vector256.Sum(acc0 + acc1) + DotScalar(query[j..], code[j..], middle[j..], step[j..]);
    }

    public static float DotVector128(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
    {
        Check(query, code, middle, step);
        ref float q = ref MemoryMarshal.GetReference(query);
        ref float m = ref MemoryMarshal.GetReference(middle);
        ref float s = ref MemoryMarshal.GetReference(step);
        ref byte c = ref MemoryMarshal.GetReference(code);
        var acc = Vector128<float>.Zero;
        int j = 0;
        for (; j <= code.Length - 16; j += 16)
        {
            var quarters = Widen128(ref c, j);
            for (int i = 0; i < 4; i++)
            {
                nuint at = (nuint)(j + (4 * i));
                acc = MultiplyAdd(Vector128.LoadUnsafe(ref q, at), MultiplyAdd(Vector128.LoadUnsafe(ref s, at), quarters[i], Vector128.LoadUnsafe(ref m, at)), acc);
            }
        }

        return Vector128.Sum(acc) + DotScalar(query[j..], code[j..], middle[j..], step[j..]);
    }

    /// <summary>a · b + c, two roundings (the JIT may fuse them where it can; net8.0 has no portable fused multiply-add).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => (a * b) + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => (a * b) + c;

    /// <summary>Codes [j, j + 16) as two Vector256 of floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Low, Vector256<float> High) Widen256(ref byte code, int j)
    {
        var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref code, (nuint)j));
        var (a, b) = Vector128.Widen(lower);
        var (c, d) = Vector128.Widen(upper);
        return (Vector256.Create(Vector128.ConvertToSingle(a.AsInt32()), Vector128.ConvertToSingle(b.AsInt32())),
                Vector256.Create(Vector128.ConvertToSingle(c.AsInt32()), Vector128.ConvertToSingle(d.AsInt32())));
    }

    /// <summary>Codes [j, j + 16) as four Vector128 of floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Quarters Widen128(ref byte code, int j)
    {
        var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref code, (nuint)j));
        var (a, b) = Vector128.Widen(lower);
        var (c, d) = Vector128.Widen(upper);
        Quarters quarters = default;
        quarters[0] = Vector128.ConvertToSingle(a.AsInt32());
        quarters[1] = Vector128.ConvertToSingle(b.AsInt32());
        quarters[2] = Vector128.ConvertToSingle(c.AsInt32());
        quarters[3] = Vector128.ConvertToSingle(d.AsInt32());
        return quarters;
    }

    private static void Check(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
    {
        if (query.Length != code.Length || middle.Length != code.Length || step.Length != code.Length)
        {
            throw new ArgumentException($"A query of {query.Length}, a code of {code.Length}, {middle.Length} middles and {step.Length} steps: all must be one length.");
        }
    }

    [InlineArray(4)]
    private struct Quarters
    {
        private Vector128<float> _element;
    }
}
