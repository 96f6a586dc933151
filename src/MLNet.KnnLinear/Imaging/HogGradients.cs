using System.Numerics.Tensors;

namespace MLNet.KnnLinear.Imaging;

/// <summary>
/// The per-pixel gradient HoG votes with: centred differences [−1, 0, 1] in x and y, zero on the image border (where
/// scikit-image sets it to 0 and OpenCV's reflect-101 border gives 0). Colour images use, per pixel, the channel with
/// the largest magnitude (ties to the earlier channel, or to the later one in OpenCV's mode), or are converted to luminance first.
/// </summary>
internal static class HogGradients
{
    /// <summary>scikit-image's rgb2gray weights (ITU-R BT.709 luma as CIE Y).</summary>
    public const float RedWeight = 0.2125f;
    public const float GreenWeight = 0.7154f;
    public const float BlueWeight = 0.0721f;

    /// <param name="planes">Channels planes of height × width, on the pixels' own scale.</param>
    /// <param name="channels">1 or 3.</param>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    /// <param name="sqrt">Take √pixel first.</param>
    /// <param name="colorMode">How three channels become one gradient.</param>
    /// <param name="tiesToLaterChannel">Equal magnitudes go to the later channel (blue, then green), as OpenCV's vectorised code does; else to the earlier (red), as scikit-image.</param>
    /// <param name="work">Scratch of at least (channels + 3) × height × width floats.</param>
    /// <param name="gx">Receives the x (column) gradient, height × width.</param>
    /// <param name="gy">Receives the y (row, downwards) gradient.</param>
    public static void Compute(ReadOnlySpan<float> planes, int channels, int height, int width, bool sqrt, HogColorMode colorMode, bool tiesToLaterChannel, Span<float> work, Span<float> gx, Span<float> gy)
    {
        int plane = height * width;

        // The pixels are read where they are; only a grey conversion or √ compression writes a copy into the scratch.
        ReadOnlySpan<float> source = planes[..(channels * plane)];
        if (channels == 3 && colorMode == HogColorMode.Grayscale)
        {
            var gray = work[..plane];
            TensorPrimitives.Multiply(source[..plane], RedWeight, gray);
            TensorPrimitives.MultiplyAdd(source.Slice(plane, plane), GreenWeight, gray, gray);
            TensorPrimitives.MultiplyAdd(source.Slice(2 * plane, plane), BlueWeight, gray, gray);
            channels = 1;
            source = gray;
        }

        if (sqrt)
        {
            // Square-root ("gamma") compression as scikit-image's transform_sqrt and OpenCV's gammaCorrection.
            var compressed = work[..source.Length];
            TensorPrimitives.Sqrt(source, compressed);
            source = compressed;
        }

        Differences(source[..plane], height, width, gx, gy);
        if (channels == 1)
        {
            return;
        }

        var magnitude = work.Slice(3 * plane, plane);
        TensorPrimitives.Multiply(gx, gx, magnitude);
        TensorPrimitives.MultiplyAdd(gy, gy, magnitude, magnitude);
        var otherX = work.Slice(4 * plane, plane);
        var otherY = work.Slice(5 * plane, plane);
        for (int c = 1; c < channels; c++)
        {
            Differences(source.Slice(c * plane, plane), height, width, otherX, otherY);
            for (int i = 0; i < plane; i++)
            {
                float m = (otherX[i] * otherX[i]) + (otherY[i] * otherY[i]);
                if (m > magnitude[i] || (tiesToLaterChannel && m == magnitude[i]))
                {
                    magnitude[i] = m;
                    gx[i] = otherX[i];
                    gy[i] = otherY[i];
                }
            }
        }
    }

    /// <summary>Scratch floats <see cref="Compute"/> needs.</summary>
    public static int WorkLength(int channels, int height, int width) => (Math.Max(channels, 1) + 3) * height * width;

    private static void Differences(ReadOnlySpan<float> image, int height, int width, Span<float> gx, Span<float> gy)
    {
        for (int r = 0; r < height; r++)
        {
            var row = image.Slice(r * width, width);
            var outX = gx.Slice(r * width, width);
            outX[0] = 0;
            outX[width - 1] = 0;
            if (width > 2)
            {
                TensorPrimitives.Subtract(row[2..], row[..^2], outX[1..^1]);
            }

            var outY = gy.Slice(r * width, width);
            if (r == 0 || r == height - 1)
            {
                outY.Clear();
            }
            else
            {
                TensorPrimitives.Subtract(image.Slice((r + 1) * width, width), image.Slice((r - 1) * width, width), outY);
            }
        }
    }
}
