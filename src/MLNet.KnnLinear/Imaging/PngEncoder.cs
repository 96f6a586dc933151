using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace MLNet.KnnLinear;

/// <summary>
/// Writes 8-bit RGB PNG files (signature, IHDR, one zlib-compressed IDAT with filter 0 per scanline, IEND), using
/// the framework's ZLibStream and System.IO.Hashing's CRC-32. Enough for the pictures this library draws (class
/// templates, HoG glyphs) without an imaging dependency.
/// </summary>
public static class PngEncoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Writes <paramref name="rgb"/> (3 bytes per pixel, row-major, no padding) as a PNG file.</summary>
    /// <param name="path">The file to create.</param>
    /// <param name="rgb">width × height × 3 bytes.</param>
    /// <param name="width">Pixels per row.</param>
    /// <param name="height">Rows.</param>
    public static void WriteRgb(string path, ReadOnlySpan<byte> rgb, int width, int height)
    {
        if (rgb.Length != width * height * 3)
        {
            throw new ArgumentException($"Expected {width * height * 3} RGB bytes, got {rgb.Length}.", nameof(rgb));
        }

        using var file = File.Create(path);
        file.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB
        WriteChunk(file, "IHDR"u8, header);

        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int y = 0; y < height; y++)
            {
                zlib.WriteByte(0); // filter: none
                zlib.Write(rgb.Slice(y * width * 3, width * 3));
            }
        }

        WriteChunk(file, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(file, "IEND"u8, []);
    }

    private static void WriteChunk(Stream stream, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        stream.Write(type);
        stream.Write(data);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        Span<byte> checksum = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(checksum, crc.GetCurrentHashAsUInt32());
        stream.Write(checksum);
    }
}
