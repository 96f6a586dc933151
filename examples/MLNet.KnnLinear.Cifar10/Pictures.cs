using MLNet.KnnLinear;

namespace MLNet.KnnLinear.Cifar10;

/// <summary>The example's own picture: test images beside their nearest training images (PNG). The plots come from the library.</summary>
internal static class Pictures
{
    /// <summary>Each row: a test image, a gap, then its <paramref name="neighbours"/> nearest training images, nearest first; 3× scaled.</summary>
    public static void SaveNeighbourGrid(KnnModelParameters model, float[] testPixels, float[] trainPixels, int rows, int neighbours, string path)
    {
        const int size = 32;
        const int scale = 3;
        const int tile = (size * scale) + 4;
        int columns = neighbours + 2;
        int width = columns * tile;
        int height = rows * tile;
        var rgb = new byte[width * height * 3];
        Array.Fill(rgb, (byte)255);
        for (int r = 0; r < rows; r++)
        {
            var query = testPixels.AsSpan(r * CifarFiles.PixelCount, CifarFiles.PixelCount).ToArray();
            Draw(rgb, width, r * tile, 0, query);
            var found = model.FindNearestNeighbors(query, neighbours);
            for (int n = 0; n < found.Length; n++)
            {
                Draw(rgb, width, r * tile, (n + 2) * tile, trainPixels.AsSpan(found[n].Row * CifarFiles.PixelCount, CifarFiles.PixelCount));
            }
        }

        PngEncoder.WriteRgb(path, rgb, width, height);

        static void Draw(byte[] rgb, int width, int top, int left, ReadOnlySpan<float> planar)
        {
            for (int y = 0; y < size * scale; y++)
            {
                for (int x = 0; x < size * scale; x++)
                {
                    int source = ((y / scale) * size) + (x / scale);
                    int at = (((top + 2 + y) * width) + left + 2 + x) * 3;
                    rgb[at] = (byte)planar[source];
                    rgb[at + 1] = (byte)planar[(size * size) + source];
                    rgb[at + 2] = (byte)planar[(2 * size * size) + source];
                }
            }
        }
    }
}
