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

    /// <summary>
    /// The gradients of image rows [<paramref name="firstRow"/>, + <paramref name="rows"/>) into
    /// <paramref name="gx"/> and <paramref name="gy"/> (rows × width each). Only those rows and the one above and
    /// below are read and widened, so the scratch follows the strip, not the image; any split into strips gives the
    /// same values as the whole image at once.
    /// </summary>
    /// <param name="image">The image, on the pixels' own scale; 1 or 3 channels.</param>
    /// <param name="firstRow">The strip's first image row.</param>
    /// <param name="rows">The strip's rows.</param>
    /// <param name="sqrt">Take √pixel first.</param>
    /// <param name="colorMode">How three channels become one gradient.</param>
    /// <param name="tiesToLaterChannel">Equal magnitudes go to the later channel (blue, then green), as OpenCV's vectorised code does; else to the earlier (red), as scikit-image.</param>
    /// <param name="work">Scratch of at least <see cref="WorkLength"/>(channels, rows, width) floats.</param>
    /// <param name="gx">Receives the x (column) gradient, rows × width.</param>
    /// <param name="gy">Receives the y (row, downwards) gradient.</param>
    public static void Compute(in PixelPlanes image, int firstRow, int rows, bool sqrt, HogColorMode colorMode, bool tiesToLaterChannel, Span<float> work, Span<float> gx, Span<float> gy)
    {
        int width = image.Width;
        int channels = image.Channels;
        int top = Math.Max(0, firstRow - 1);
        int loadedRows = Math.Min(image.Height, firstRow + rows + 1) - top;
        int loaded = loadedRows * width;
        int strip = rows * width;

        // Pixels are read where they are when they are floats already and need no change; otherwise the strip
        // (with its row above and below) is widened, converted to grey and/or square-rooted into the scratch.
        bool gray = channels == 3 && colorMode == HogColorMode.Grayscale;
        bool copy = !image.IsSingle || sqrt || gray;
        var source = work[..(channels * loaded)];
        if (copy)
        {
            for (int c = 0; c < channels; c++)
            {
                image.ReadRows(c, top, loadedRows, source.Slice(c * loaded, loaded));
            }
        }

        if (gray)
        {
            var luma = source[..loaded];
            TensorPrimitives.Multiply(luma, RedWeight, luma);
            TensorPrimitives.MultiplyAdd(source.Slice(loaded, loaded), GreenWeight, luma, luma);
            TensorPrimitives.MultiplyAdd(source.Slice(2 * loaded, loaded), BlueWeight, luma, luma);
            channels = 1;
        }

        if (sqrt)
        {
            // Square-root ("gamma") compression as scikit-image's transform_sqrt and OpenCV's gammaCorrection.
            TensorPrimitives.Sqrt(source[..(channels * loaded)], source[..(channels * loaded)]);
        }

        ReadOnlySpan<float> Channel(in PixelPlanes image, Span<float> source, int c)
            => copy ? source.Slice(c * loaded, loaded) : image.SingleRows(c, top, loadedRows);

        int rest = image.Channels * loaded;
        Differences(Channel(image, source, 0), firstRow - top, rows, firstRow, image.Height, width, gx[..strip], gy[..strip]);
        if (channels == 1)
        {
            return;
        }

        var magnitude = work.Slice(rest, strip);
        TensorPrimitives.Multiply(gx[..strip], gx[..strip], magnitude);
        TensorPrimitives.MultiplyAdd(gy[..strip], gy[..strip], magnitude, magnitude);
        var otherX = work.Slice(rest + strip, strip);
        var otherY = work.Slice(rest + (2 * strip), strip);
        for (int c = 1; c < channels; c++)
        {
            Differences(Channel(image, source, c), firstRow - top, rows, firstRow, image.Height, width, otherX, otherY);
            HogStrongestChannel.Merge(otherX, otherY, tiesToLaterChannel, gx[..strip], gy[..strip], magnitude);
        }
    }

    /// <summary>Scratch floats <see cref="Compute"/> needs for a strip of <paramref name="rows"/> rows.</summary>
    public static long WorkLength(int channels, int rows, int width) => ((Math.Max(channels, 1) * (rows + 2L)) + (3L * rows)) * width;

    /// <param name="loaded">The channel's rows as loaded: the strip, plus the row above and below where the image has them.</param>
    /// <param name="firstLocal">Index of the strip's first row within <paramref name="loaded"/>.</param>
    /// <param name="rows">Rows in the strip.</param>
    /// <param name="firstRow">The strip's first image row (the image's first and last rows get a zero y gradient).</param>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    /// <param name="gx">Receives rows × width x differences.</param>
    /// <param name="gy">Receives rows × width y differences.</param>
    private static void Differences(ReadOnlySpan<float> loaded, int firstLocal, int rows, int firstRow, int height, int width, Span<float> gx, Span<float> gy)
    {
        for (int i = 0; i < rows; i++)
        {
            int local = firstLocal + i;
            var row = loaded.Slice(local * width, width);
            var outX = gx.Slice(i * width, width);
            outX[0] = 0;
            outX[width - 1] = 0;
            if (width > 2)
            {
                TensorPrimitives.Subtract(row[2..], row[..^2], outX[1..^1]);
            }

            var outY = gy.Slice(i * width, width);
            int r = firstRow + i;
            if (r == 0 || r == height - 1)
            {
                outY.Clear();
            }
            else
            {
                TensorPrimitives.Subtract(loaded.Slice((local + 1) * width, width), loaded.Slice((local - 1) * width, width), outY);
            }
        }
    }
}
