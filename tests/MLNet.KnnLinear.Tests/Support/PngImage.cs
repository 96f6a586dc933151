using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Tests.Support;

/// <summary>
/// A picture read back for checking with ML.NET's own decoder (<see cref="MLImage"/>, SkiaSharp underneath), not the
/// code that wrote it: size and RGB pixels.
/// </summary>
public sealed class PngImage
{
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

    public static PngImage Load(string path)
    {
        File.ReadAllBytes(path).AsSpan(0, 8).ToArray().Should().Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "the file is a PNG");
        using var image = MLImage.CreateFromFile(path);
        var pixels = image.Pixels;
        (int red, int blue) = image.PixelFormat == MLPixelFormat.Bgra32 ? (2, 0) : (0, 2);
        var rgb = new byte[image.Width * image.Height * 3];
        for (int i = 0; i < image.Width * image.Height; i++)
        {
            rgb[3 * i] = pixels[(4 * i) + red];
            rgb[(3 * i) + 1] = pixels[(4 * i) + 1];
            rgb[(3 * i) + 2] = pixels[(4 * i) + blue];
        }

        return new PngImage(image.Width, image.Height, rgb);
    }

    /// <summary>Writes an RGB picture as PNG through MLImage (for tests that need image files).</summary>
    public static void Write(string path, byte[] rgb, int width, int height)
    {
        var rgba = new byte[width * height * 4];
        for (int i = 0; i < width * height; i++)
        {
            rgba[4 * i] = rgb[3 * i];
            rgba[(4 * i) + 1] = rgb[(3 * i) + 1];
            rgba[(4 * i) + 2] = rgb[(3 * i) + 2];
            rgba[(4 * i) + 3] = 255;
        }

        using var image = MLImage.CreateFromPixels(width, height, MLPixelFormat.Rgba32, rgba);
        image.Save(path);
    }
}
