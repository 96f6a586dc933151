using System.Runtime.InteropServices;
using System.Text;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// The writing side of <see cref="ModelStateReader"/>: the same field encodings. Arrays are written in memory order,
/// which is little-endian on every platform .NET and ML.NET run on.
/// </summary>
internal static class ModelStateWriter
{
    public static void WriteUtf8(this BinaryWriter writer, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    public static void WriteArray<T>(this BinaryWriter writer, ReadOnlySpan<T> values)
        where T : unmanaged
        => writer.Write(MemoryMarshal.AsBytes(values));
}
