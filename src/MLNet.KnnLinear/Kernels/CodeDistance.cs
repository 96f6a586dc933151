using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLNet.KnnLinear.Kernels;

/// <summary>
/// Distances from a float query to one 8-bit scalar-quantized code, decoding inside the sum (faiss' fused
/// distance computer; no decoded row is written): the code's value j is x_j = middle_j + step_j · c_j. One code at a
/// time, what a graph walk compares (an HNSW graph of codes). No library has this kernel: 16 codes are widened at a
/// time to two Vector256 (or four Vector128) of floats, decoded with a multiply and an add, and folded into the sum by
/// the term (<see cref="SquaredDifference"/> or <see cref="Product"/>); the scalar loop is the twin every path is
/// tested against (sums in another order: equal to float rounding).
/// </summary>
internal static class CodeDistance
{
    /// <summary>Σ (q_j − x_j)².</summary>
    public static float SquaredL2(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
        => Sum<SquaredDifference>(query, code, middle, step);

    /// <summary>Σ q_j x_j.</summary>
    public static float Dot(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
        => Sum<Product>(query, code, middle, step);

    public static float SquaredL2Scalar(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
        => SumScalar<SquaredDifference>(query, code, middle, step);

    public static float DotScalar(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
        => SumScalar<Product>(query, code, middle, step);

    public static float SquaredL2Vector256(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
        => SumVector256<SquaredDifference>(query, code, middle, step);

    public static float DotVector256(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
        => SumVector256<Product>(query, code, middle, step);

    public static float SquaredL2Vector128(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
        => SumVector128<SquaredDifference>(query, code, middle, step);

    public static float DotVector128(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
        => SumVector128<Product>(query, code, middle, step);

    private static float Sum<TTerm>(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
        where TTerm : struct, ITerm
        => Vector256.IsHardwareAccelerated ? SumVector256<TTerm>(query, code, middle, step)
            : Vector128.IsHardwareAccelerated ? SumVector128<TTerm>(query, code, middle, step)
            : SumScalar<TTerm>(query, code, middle, step);

    private static float SumScalar<TTerm>(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
        where TTerm : struct, ITerm
    {
        Check(query, code, middle, step);
        float sum = 0f;
        for (int j = 0; j < code.Length; j++)
        {
            sum = TTerm.Add(query[j], middle[j] + (step[j] * code[j]), sum);
        }

        return sum;
    }

    private static float SumVector256<TTerm>(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
        where TTerm : struct, ITerm
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
            var x0 = (Vector256.LoadUnsafe(ref s, (nuint)j) * low) + Vector256.LoadUnsafe(ref m, (nuint)j);
            var x1 = (Vector256.LoadUnsafe(ref s, (nuint)(j + 8)) * high) + Vector256.LoadUnsafe(ref m, (nuint)(j + 8));
            acc0 = TTerm.Add(Vector256.LoadUnsafe(ref q, (nuint)j), x0, acc0);
            acc1 = TTerm.Add(Vector256.LoadUnsafe(ref q, (nuint)(j + 8)), x1, acc1);
        }

        return Vector256.Sum(acc0 + acc1) + SumScalar<TTerm>(query[j..], code[j..], middle[j..], step[j..]);
    }

    private static float SumVector128<TTerm>(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
        where TTerm : struct, ITerm
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
            var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref c, (nuint)j));
            var (a, b) = Vector128.Widen(lower);
            var (d, e) = Vector128.Widen(upper);
            acc = Add128<TTerm>(ref q, ref s, ref m, j, a, acc);
            acc = Add128<TTerm>(ref q, ref s, ref m, j + 4, b, acc);
            acc = Add128<TTerm>(ref q, ref s, ref m, j + 8, d, acc);
            acc = Add128<TTerm>(ref q, ref s, ref m, j + 12, e, acc);
        }

        return Vector128.Sum(acc) + SumScalar<TTerm>(query[j..], code[j..], middle[j..], step[j..]);
    }

    /// <summary>Four codes (widened to 32 bits) decoded and folded into <paramref name="acc"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Add128<TTerm>(ref float q, ref float s, ref float m, int j, Vector128<uint> codes, Vector128<float> acc)
        where TTerm : struct, ITerm
    {
        var x = (Vector128.LoadUnsafe(ref s, (nuint)j) * Vector128.ConvertToSingle(codes.AsInt32())) + Vector128.LoadUnsafe(ref m, (nuint)j);
        return TTerm.Add(Vector128.LoadUnsafe(ref q, (nuint)j), x, acc);
    }

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

    private static void Check(ReadOnlySpan<float> query, ReadOnlySpan<byte> code, ReadOnlySpan<float> middle, ReadOnlySpan<float> step)
    {
        if (query.Length != code.Length || middle.Length != code.Length || step.Length != code.Length)
        {
            throw new ArgumentException($"A query of {query.Length}, a code of {code.Length}, {middle.Length} middles and {step.Length} steps: all must be one length.");
        }
    }

    /// <summary>How one query value q and decoded value x add to the sum (a multiply and an add: net8.0 has no portable fused multiply-add).</summary>
    private interface ITerm
    {
        static abstract float Add(float q, float x, float sum);

        static abstract Vector128<float> Add(Vector128<float> q, Vector128<float> x, Vector128<float> sum);

        static abstract Vector256<float> Add(Vector256<float> q, Vector256<float> x, Vector256<float> sum);
    }

    /// <summary>(q − x)², for squared L2.</summary>
    private readonly struct SquaredDifference : ITerm
    {
        public static float Add(float q, float x, float sum) => sum + ((q - x) * (q - x));

        public static Vector128<float> Add(Vector128<float> q, Vector128<float> x, Vector128<float> sum) => sum + ((q - x) * (q - x));

        public static Vector256<float> Add(Vector256<float> q, Vector256<float> x, Vector256<float> sum) => sum + ((q - x) * (q - x));
    }

    /// <summary>q · x, for the inner product (cosine of unit rows).</summary>
    private readonly struct Product : ITerm
    {
        public static float Add(float q, float x, float sum) => sum + (q * x);

        public static Vector128<float> Add(Vector128<float> q, Vector128<float> x, Vector128<float> sum) => sum + (q * x);

        public static Vector256<float> Add(Vector256<float> q, Vector256<float> x, Vector256<float> sum) => sum + (q * x);
    }
}
