using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Cifar10;

/// <summary>A CIFAR-10 image (planar R, G, B floats) saved as a PNG through ML.NET's MLImage, each pixel a <c>scale</c> × <c>scale</c> square.</summary>
internal static class PixelPicture
{
    public static void Save(string path, ReadOnlySpan<float> planar, int scale)
    {
        const int size = 32;
        int side = size * scale;
        var rgba = new byte[side * side * 4];
        for (int y = 0; y < side; y++)
        {
            for (int x = 0; x < side; x++)
            {
                int source = ((y / scale) * size) + (x / scale);
                int at = ((y * side) + x) * 4;
                rgba[at] = (byte)planar[source];
                rgba[at + 1] = (byte)planar[(size * size) + source];
                rgba[at + 2] = (byte)planar[(2 * size * size) + source];
                rgba[at + 3] = 255;
            }
        }

        using var image = MLImage.CreateFromPixels(side, side, MLPixelFormat.Rgba32, rgba);
        image.Save(path);
    }
}
