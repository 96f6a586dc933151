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
}
