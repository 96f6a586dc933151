using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// Whether values are all whole numbers in a range: what decides if rows can be stored as bytes (L1) or searched in
/// exact mode (L2, cosine). Vectorised through TensorPrimitives in chunks that stay in L1.
/// </summary>
internal static class WholeNumbers
{
    private const int Chunk = 1024;

    public static bool AllWithin(ReadOnlySpan<float> values, float min, float max)
    {
        if (values.IsEmpty)
        {
            return true;
        }

        // NaN fails both comparisons.
        if (!(TensorPrimitives.Min(values) >= min && TensorPrimitives.Max(values) <= max))
        {
            return false;
        }

        Span<float> floored = stackalloc float[Math.Min(Chunk, values.Length)];
        for (int i = 0; i < values.Length; i += Chunk)
        {
            var part = values.Slice(i, Math.Min(Chunk, values.Length - i));
            TensorPrimitives.Floor(part, floored[..part.Length]);
            // floor(v) == v exactly when the bits agree (floor keeps a whole number's bits, −0 included), and a
            // bitwise comparison of int views is a vectorised memcmp, where float equality goes element by element.
            if (!MemoryMarshal.Cast<float, int>(floored[..part.Length]).SequenceEqual(MemoryMarshal.Cast<float, int>(part)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Narrows whole numbers in [0, 255] (checked by <see cref="AllWithin"/>) to bytes. Through int in chunks: both
    /// TensorPrimitives steps are vectorised, where float → byte directly is not (4.6 vs 1.6 ms per 1,000 rows of
    /// 3,072, measured on .NET 10).
    /// </summary>
    public static void ToBytes(ReadOnlySpan<float> values, Span<byte> destination) => Narrow(values, destination);

    /// <summary>Narrows whole numbers in [−32,768, 32,767] (checked by <see cref="AllWithin"/>) to 16-bit integers, through int in chunks as <see cref="ToBytes"/>.</summary>
    public static void ToInt16(ReadOnlySpan<float> values, Span<short> destination) => Narrow(values, destination);

    private static void Narrow<T>(ReadOnlySpan<float> values, Span<T> destination)
        where T : INumberBase<T>
    {
        Span<int> whole = stackalloc int[Math.Min(Chunk, values.Length)];
        for (int i = 0; i < values.Length; i += Chunk)
        {
            var part = values.Slice(i, Math.Min(Chunk, values.Length - i));
            TensorPrimitives.ConvertTruncating(part, whole[..part.Length]);
            TensorPrimitives.ConvertTruncating<int, T>(whole[..part.Length], destination.Slice(i, part.Length));
        }
    }
}
