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

    /// <param name="planes">R, G, B planes (or one grey plane, read as R = G = B).</param>
    /// <param name="output">Receives <see cref="Length"/> fractions.</param>
    public void Compute(ReadOnlySpan<float> planes, Span<float> output)
    {
        var histogram = output[..Length];
        histogram.Clear();
        Span<double> values = stackalloc double[_channels.Length];
        int bins = _parameters.Bins;
        int green = _inputChannels == 3 ? _pixels : 0;
        int blue = _inputChannels == 3 ? 2 * _pixels : 0;
        Span<int> counted = stackalloc int[_parameters.Joint ? 1 : _channels.Length];
        for (int p = 0; p < _pixels; p++)
        {
            Channels(planes[p], planes[green + p], planes[blue + p], values);
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

        // Fractions of the counted pixels (np.histogram's density times the bin width); nothing counted stays 0.
        for (int c = 0; c < counted.Length; c++)
        {
            if (counted[c] > 0)
            {
                var part = _parameters.Joint ? histogram : histogram.Slice(c * bins, bins);
                float scale = 1f / counted[c];
                for (int i = 0; i < part.Length; i++)
                {
                    part[i] *= scale;
                }
            }
        }
    }

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
