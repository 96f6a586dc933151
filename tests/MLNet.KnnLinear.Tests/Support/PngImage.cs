using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace MLNet.KnnLinear.Tests.Support;

/// <summary>
/// A PNG read back for checking: the chunks are walked and their CRCs verified, IHDR is parsed, and the IDAT data
/// inflated and unfiltered into RGB pixels. Only what the library writes is supported (8-bit RGB, no interlace,
/// filter type 0 on each row); anything else fails the read, which is itself a finding.
/// </summary>
public sealed class PngImage
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private readonly byte[] _rgb;

    private PngImage(int width, int height, byte[] rgb)
    {
        Width = width;
        Height = height;
        _rgb = rgb;
    }

    public int Width { get; }

    public int Height { get; }

    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            int at = ((y * Width) + x) * 3;
            return (_rgb[at], _rgb[at + 1], _rgb[at + 2]);
        }
    }

    public ReadOnlySpan<byte> Rgb => _rgb;

    public static PngImage Load(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        bytes.AsSpan(0, 8).ToArray().Should().Equal(Signature, "a PNG starts with its signature");
        int at = 8;
        int width = 0;
        int height = 0;
        var compressed = new MemoryStream();
        var chunkTypes = new List<string>();
        while (at < bytes.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            string type = Encoding.ASCII.GetString(bytes, at + 4, 4);
            var data = bytes.AsSpan(at + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at + 8 + length));
            Crc32.HashToUInt32(bytes.AsSpan(at + 4, 4 + length)).Should().Be(crc, $"the {type} chunk's CRC matches");
            chunkTypes.Add(type);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                data[8..].ToArray().Should().Equal(new byte[] { 8, 2, 0, 0, 0 }, "8-bit RGB, deflate, filter method 0, no interlace");
            }
            else if (type == "IDAT")
            {
                compressed.Write(data);
            }

            at += 12 + length;
        }

        chunkTypes[0].Should().Be("IHDR");
        chunkTypes[^1].Should().Be("IEND");
        compressed.Position = 0;
        var raw = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionMode.Decompress))
        {
            zlib.CopyTo(raw);
        }

        byte[] scanlines = raw.ToArray();
        int stride = (width * 3) + 1;
        scanlines.Should().HaveCount(stride * height, "one filter byte and width × 3 bytes per row");
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            scanlines[y * stride].Should().Be(0, "the encoder writes every row unfiltered");
            scanlines.AsSpan((y * stride) + 1, width * 3).CopyTo(rgb.AsSpan(y * width * 3));
        }

        return new PngImage(width, height, rgb);
    }
}
