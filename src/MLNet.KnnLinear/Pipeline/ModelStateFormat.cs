using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// Our own container for a fitted component's state, independent of ML.NET's model file (which holds it as one
/// stream), so the format can be versioned and tested on its own. Layout, little-endian:
/// <code>
/// magic      8 bytes  "MLNKNNLN"
/// format     u32      container version (1)
/// kind       u16 n, n UTF-8 bytes   the component, e.g. "KnnPredictionTransformer"
/// version    u32      the component's state version
/// length     i64      payload length in bytes
/// payload    length bytes
/// crc32      u32      CRC-32 of the payload
/// </code>
/// Reading checks each field and throws <see cref="InvalidDataException"/> saying what is wrong.
/// </summary>
internal static class ModelStateFormat
{
    public const uint ContainerVersion = 1;

    private static ReadOnlySpan<byte> Magic => "MLNKNNLN"u8;

    public static void Write(Stream stream, string kind, int version, Action<BinaryWriter> writePayload)
    {
        var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writePayload(writer);
        }

        using var output = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        output.Write(Magic);
        output.Write(ContainerVersion);
        byte[] kindBytes = Encoding.UTF8.GetBytes(kind);
        output.Write(checked((ushort)kindBytes.Length));
        output.Write(kindBytes);
        output.Write(version);
        output.Write(payload.Length);
        output.Write(payload.GetBuffer(), 0, (int)payload.Length);
        output.Write(Crc32.HashToUInt32(payload.GetBuffer().AsSpan(0, (int)payload.Length)));
    }

    /// <summary>Reads a state written by <see cref="Write"/> for <paramref name="kind"/>, at a version up to <paramref name="maxVersion"/>.</summary>
    public static T Read<T>(Stream stream, string kind, int maxVersion, Func<ModelStateReader, int, T> readPayload)
    {
        Span<byte> header = stackalloc byte[12];
        ReadExactly(stream, header, "header");
        if (!header[..8].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"Not an MLNet.KnnLinear model state: expected magic 'MLNKNNLN', found '{Printable(header[..8])}'.");
        }

        uint container = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (container != ContainerVersion)
        {
            throw new InvalidDataException($"Model state container version {container} is not supported (this library reads version {ContainerVersion}).");
        }

        Span<byte> lengthBytes = stackalloc byte[2];
        ReadExactly(stream, lengthBytes, "component name length");
        var kindBytes = new byte[BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes)];
        ReadExactly(stream, kindBytes, "component name");
        string found = Encoding.UTF8.GetString(kindBytes);
        if (found != kind)
        {
            throw new InvalidDataException($"The model state is a '{found}', not a '{kind}'.");
        }

        Span<byte> sizes = stackalloc byte[12];
        ReadExactly(stream, sizes, "version and payload length");
        int version = BinaryPrimitives.ReadInt32LittleEndian(sizes);
        if (version < 1 || version > maxVersion)
        {
            throw new InvalidDataException($"'{kind}' state version {version} is not supported (this library reads versions 1 to {maxVersion}).");
        }

        long length = BinaryPrimitives.ReadInt64LittleEndian(sizes[4..]);
        if (length < 0 || length > Array.MaxLength)
        {
            throw new InvalidDataException($"'{kind}' state declares an invalid payload length {length}.");
        }

        // Read in chunks: a corrupt length must not make us allocate more than the stream really holds.
        var payload = new MemoryStream();
        var chunk = new byte[81920];
        for (long remaining = length; remaining > 0;)
        {
            int read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, remaining));
            if (read == 0)
            {
                throw new InvalidDataException($"'{kind}' state is truncated: the payload declares {length} bytes, only {length - remaining} are present.");
            }

            payload.Write(chunk, 0, read);
            remaining -= read;
        }

        Span<byte> crcBytes = stackalloc byte[4];
        ReadExactly(stream, crcBytes, "checksum");
        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(crcBytes);
        uint actual = Crc32.HashToUInt32(payload.GetBuffer().AsSpan(0, (int)payload.Length));
        if (expected != actual)
        {
            throw new InvalidDataException($"'{kind}' state is corrupted: CRC-32 of the payload is {actual:X8}, the file says {expected:X8}.");
        }

        payload.Position = 0;
        var reader = new ModelStateReader(payload, kind);
        T result = readPayload(reader, version);
        reader.EnsureAtEnd();
        return result;
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string what)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer[total..]);
            if (read == 0)
            {
                throw new InvalidDataException($"Model state is truncated: it ends inside the {what}.");
            }

            total += read;
        }
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (byte b in bytes)
        {
            text.Append(b is >= 32 and < 127 ? (char)b : '.');
        }

        return text.ToString();
    }
}
