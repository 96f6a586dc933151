using SkiaSharp;

namespace MLNet.KnnLinear.Visualization;

/// <summary>An RGB raster (interleaved bytes, row-major) written as PNG through SkiaSharp.</summary>
internal sealed class RgbPicture
{
    public RgbPicture(int width, int height, byte background = 255)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
        Pixels = new byte[checked(width * height * 3)];
        Array.Fill(Pixels, background);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>R, G, B of each pixel, row-major.</summary>
    public byte[] Pixels { get; }

    public void Set(int x, int y, byte red, byte green, byte blue)
    {
        if ((uint)x < (uint)Width && (uint)y < (uint)Height)
        {
            int at = ((y * Width) + x) * 3;
            Pixels[at] = red;
            Pixels[at + 1] = green;
            Pixels[at + 2] = blue;
        }
    }

    /// <summary>Draws a planar image (channel planes of <paramref name="height"/> × <paramref name="width"/>, 1 or 3 channels, values 0–255) with its top-left corner at (left, top), each pixel a scale × scale square.</summary>
    public void DrawPlanar(ReadOnlySpan<float> planes, int height, int width, int left, int top, int scale)
    {
        int plane = height * width;
        bool gray = planes.Length == plane;
        for (int y = 0; y < height * scale; y++)
        {
            for (int x = 0; x < width * scale; x++)
            {
                int source = ((y / scale) * width) + (x / scale);
                Set(left + x, top + y, ToByte(planes[source]), ToByte(planes[gray ? source : plane + source]), ToByte(planes[gray ? source : (2 * plane) + source]));
            }
        }
    }

    /// <summary>A rectangle outline <paramref name="thickness"/> pixels wide, inside the given bounds.</summary>
    public void DrawFrame(int left, int top, int width, int height, int thickness, byte red, byte green, byte blue)
    {
        for (int y = top; y < top + height; y++)
        {
            for (int x = left; x < left + width; x++)
            {
                bool edge = x < left + thickness || x >= left + width - thickness || y < top + thickness || y >= top + height - thickness;
                if (edge)
                {
                    Set(x, y, red, green, blue);
                }
            }
        }
    }

    public void SavePng(string path)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = new byte[Width * Height * 4];
        for (int i = 0, j = 0; i < Pixels.Length; i += 3, j += 4)
        {
            rgba[j] = Pixels[i];
            rgba[j + 1] = Pixels[i + 1];
            rgba[j + 2] = Pixels[i + 2];
            rgba[j + 3] = 255;
        }

        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    private static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(value), 0, 255);
}
