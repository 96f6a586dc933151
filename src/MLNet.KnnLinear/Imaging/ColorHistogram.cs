using System.Numerics.Tensors;

namespace MLNet.KnnLinear.Imaging;

/// <summary>
/// Colour histograms of one image as fractions of its pixels. Bins split [0, max] evenly (edges k·max / bins, the last
/// bin closed), as <c>np.histogram(values, bins=np.linspace(0, max, bins + 1))</c>; values outside [0, max] are not
/// counted. HSV follows matplotlib's <c>rgb_to_hsv</c> on pixel / max, scaled back by max (the CS231n
/// <c>color_histogram_hsv</c> features). Computed in double to land on the same bins as numpy.
/// </summary>
internal sealed class ColorHistogram
{
    private readonly ColorHistogramParameters _parameters;
    private readonly ColorHistogramChannels[] _channels;
    private readonly double[] _edges;
    private readonly double _binsPerUnit;
    private readonly int _pixels;
    private readonly int _inputChannels;

    public ColorHistogram(ColorHistogramParameters parameters, int pixels, int inputChannels)
    {
        _parameters = parameters;
        _channels = parameters.Selected;
        _pixels = pixels;
        _inputChannels = inputChannels;
        double max = parameters.MaxPixelValue;
        double step = max / parameters.Bins;
        _edges = new double[parameters.Bins + 1];
        for (int k = 0; k < parameters.Bins; k++)
        {
            _edges[k] = k * step;
        }

        _edges[parameters.Bins] = max;
        _binsPerUnit = parameters.Bins / max;
    }

    public int Length => _parameters.Length;

    /// <summary>Rows widened per strip when the pixels are bytes: the float scratch stays near 1 MiB whatever the image size.</summary>
    private const long StripBudgetBytes = 1L << 20;

    /// <summary>The histogram of planar float pixels (R, G, B planes, or one grey plane).</summary>
    public void Compute(ReadOnlySpan<float> planes, Span<float> output)
        => Compute(new PixelPlanes(planes, _inputChannels, 1, _pixels), output, [], new int[Length], 1);

    /// <summary>A per-thread feature function with its own strip buffer (tests pass a small budget to force many strips).</summary>
    public ImageFeatureFunction CreateWorker(long stripBudgetBytes = StripBudgetBytes)
    {
        float[] buffer = [];
        int[] counts = new int[Length];
        return (in PixelPlanes image, Span<float> output) =>
        {
            int rows = StripRows(image, stripBudgetBytes);
            long needed = 3L * rows * image.Width;
            if (!image.IsSingle && buffer.Length < needed)
            {
                buffer = new float[needed];
            }

            Compute(image, output, buffer, counts, rows);
        };
    }

    /// <param name="image">R, G, B planes (or one grey plane, read as R = G = B) of the pixel count this histogram was made for.</param>
    /// <param name="output">Receives <see cref="Length"/> fractions.</param>
    /// <param name="buffer">Room for 3 × strip rows × width floats when the pixels are bytes (unused for floats).</param>
    /// <param name="counts">Room for <see cref="Length"/> counts: integers, as a float count stops growing at 2^24 pixels.</param>
    /// <param name="stripRows">Rows widened at a time.</param>
    private void Compute(in PixelPlanes image, Span<float> output, Span<float> buffer, Span<int> counts, int stripRows)
    {
        var histogram = output[..Length];
        counts = counts[..Length];
        counts.Clear();
        Span<double> values = stackalloc double[_channels.Length];
        int bins = _parameters.Bins;
        Span<int> counted = stackalloc int[_parameters.Joint ? 1 : _channels.Length];
        for (int first = 0; first < image.Height; first += stripRows)
        {
            int rows = Math.Min(stripRows, image.Height - first);
            int length = rows * image.Width;
            var red = image.Rows(0, first, rows, buffer);
            var green = image.Channels == 3 ? image.Rows(1, first, rows, image.IsSingle ? buffer : buffer[length..]) : red;
            var blue = image.Channels == 3 ? image.Rows(2, first, rows, image.IsSingle ? buffer : buffer[(2 * length)..]) : red;
            Count(red, green, blue, counts, values, counted);
        }

        for (int i = 0; i < counts.Length; i++)
        {
            histogram[i] = counts[i];
        }

        // Fractions of the counted pixels (np.histogram's density times the bin width); nothing counted stays 0.
        for (int c = 0; c < counted.Length; c++)
        {
            if (counted[c] > 0)
            {
                var part = _parameters.Joint ? histogram : histogram.Slice(c * bins, bins);
                TensorPrimitives.Multiply(part, 1f / counted[c], part);
            }
        }
    }

    private void Count(ReadOnlySpan<float> red, ReadOnlySpan<float> green, ReadOnlySpan<float> blue, Span<int> histogram, Span<double> values, Span<int> counted)
    {
        int bins = _parameters.Bins;
        for (int p = 0; p < red.Length; p++)
        {
            Channels(red[p], green[p], blue[p], values);
            if (_parameters.Joint)
            {
                int index = 0;
                bool inside = true;
                foreach (double v in values)
                {
                    int bin = Bin(v);
                    inside &= bin >= 0;
                    index = (index * bins) + bin;
                }

                if (inside)
                {
                    histogram[index]++;
                    counted[0]++;
                }

                continue;
            }

            for (int c = 0; c < values.Length; c++)
            {
                int bin = Bin(values[c]);
                if (bin >= 0)
                {
                    histogram[(c * bins) + bin]++;
                    counted[c]++;
                }
            }
        }
    }

    private static int StripRows(in PixelPlanes image, long budgetBytes)
        => image.IsSingle ? image.Height : (int)Math.Clamp(budgetBytes / (3L * sizeof(float) * image.Width), 1, image.Height);

    private void Channels(double red, double green, double blue, Span<double> values)
    {
        double max = _parameters.MaxPixelValue;
        double hue = 0, saturation = 0, value = 0;
        if ((_parameters.Channels & ColorHistogramChannels.Hsv) != 0)
        {
            (hue, saturation, value) = Hsv(red / max, green / max, blue / max);
        }

        for (int c = 0; c < _channels.Length; c++)
        {
            values[c] = _channels[c] switch
            {
                ColorHistogramChannels.Red => red,
                ColorHistogramChannels.Green => green,
                ColorHistogramChannels.Blue => blue,
                ColorHistogramChannels.Hue => hue * max,
                ColorHistogramChannels.Saturation => saturation * max,
                _ => value * max,
            };
        }
    }

    /// <summary>matplotlib.colors.rgb_to_hsv on one pixel in [0, 1]; later cases win as in its masked assignments.</summary>
    private static (double Hue, double Saturation, double Value) Hsv(double r, double g, double b)
    {
        double max = Math.Max(r, Math.Max(g, b));
        double delta = max - Math.Min(r, Math.Min(g, b));
        double saturation = max > 0 ? delta / max : 0;
        double hue = 0;
        if (delta > 0)
        {
            if (b == max)
            {
                hue = 4.0 + ((r - g) / delta);
            }
            else if (g == max)
            {
                hue = 2.0 + ((b - r) / delta);
            }
            else
            {
                hue = (g - b) / delta;
            }
        }

        // numpy's floored remainder of hue / 6 by 1. hue / 6 lies in [−1/6, 5/6], where fmod is the identity, so
        // only negative values move (by exactly 1, as numpy's remainder adds the divisor).
        hue /= 6.0;
        if (hue < 0)
        {
            hue += 1.0;
        }

        return (hue, saturation, max);
    }

    /// <summary>np.histogram's bin of a value: edges[i] ≤ v &lt; edges[i + 1], the last bin closed; −1 outside [0, max].</summary>
    private int Bin(double v)
    {
        int bins = _parameters.Bins;
        if (!(v >= 0) || v > _edges[bins])
        {
            return -1;
        }

        int index = Math.Min((int)(v * _binsPerUnit), bins - 1);
        if (v < _edges[index])
        {
            index--;
        }
        else if (index != bins - 1 && v >= _edges[index + 1])
        {
            index++;
        }

        return index;
    }
}
