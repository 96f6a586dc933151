using System.Buffers.Binary;
using System.IO.Compression;

namespace MLNet.KnnLinear.Tests.Support;

/// <summary>Reads back the 8-bit RGB, filter-0 PNGs our encoder writes (enough to check pictures in tests).</summary>
public static class PngFile
{
    public static (int Width, int Height, byte[] Rgb) Read(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        file.AsSpan(0, 8).ToArray().Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A);
        int width = 0, height = 0;
        var idat = new MemoryStream();
        for (int at = 8; at < file.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
            var data = file.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                data[8].Should().Be(8, "8-bit samples");
                data[9].Should().Be(2, "RGB colour type");
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            at += 12 + length;
        }

        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        zlib.CopyTo(raw);
        byte[] scanlines = raw.ToArray();
        scanlines.Should().HaveCount(height * ((width * 3) + 1));
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            scanlines[y * ((width * 3) + 1)].Should().Be(0, "filter type 0");
            Array.Copy(scanlines, (y * ((width * 3) + 1)) + 1, rgb, y * width * 3, width * 3);
        }

        return (width, height, rgb);
    }
}
