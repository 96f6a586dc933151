namespace MLNet.KnnLinear.Cifar10;

/// <summary>A CIFAR-10 image (planar R, G, B floats) as interleaved RGB bytes, each pixel a <c>scale</c> × <c>scale</c> square.</summary>
internal static class PixelPicture
{
    public static byte[] Upscale(ReadOnlySpan<float> planar, int scale)
    {
        const int size = 32;
        int side = size * scale;
        var rgb = new byte[side * side * 3];
        for (int y = 0; y < side; y++)
        {
            for (int x = 0; x < side; x++)
            {
                int source = ((y / scale) * size) + (x / scale);
                int at = ((y * side) + x) * 3;
                rgb[at] = (byte)planar[source];
                rgb[at + 1] = (byte)planar[(size * size) + source];
                rgb[at + 2] = (byte)planar[(2 * size * size) + source];
            }
        }

        return rgb;
    }
}
