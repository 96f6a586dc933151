using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Imaging;

/// <summary>
/// The colour histogram as ONNX, step for step as <see cref="ColorHistogram"/>: channel values in double (HSV by the
/// same branches), the bin by the same truncation and edge corrections, counts by comparing each pixel's bin with
/// every bin (Equal, ReduceSum), and each histogram divided by the pixels it counted.
/// </summary>
internal sealed class ColorHistogramOnnxExport(ColorHistogramParameters parameters) : ImageOnnxExport("ExtractColorHistogram")
{
    /// <summary>The per-image comparison tensor (pixels × bins, a byte and a float each) the graph may need.</summary>
    public const long MaxCountingBytes = 1L << 30;

    public override void Check(ImageColumn input)
    {
        base.Check(input);
        long bins = parameters.Joint ? parameters.Length : parameters.Bins;
        long bytes = 5L * input.PlaneLength * bins;
        if (bytes > MaxCountingBytes)
        {
            throw new NotSupportedException(
                $"ONNX export: ExtractColorHistogram counts by comparing each of the {input.PlaneLength:N0} pixels with each of {bins:N0} bins " +
                $"({(parameters.Joint ? "Joint, " : "")}Bins = {parameters.Bins}), {bytes >> 20:N0} MB per image; at most {MaxCountingBytes >> 20:N0} MB are exported. " +
                "Use fewer bins, a non-joint histogram or smaller images.");
        }
    }

    public override string Export(OnnxGraph g, ImageColumn input, string pixels)
    {
        int plane = input.PlaneLength;
        string planes = g.Reshape(Planes(g, input, pixels, typeof(double)), -1, input.Channels, plane);
        string Plane(int c) => g.Reshape(g.Slice(planes, [c], [c + 1], [1]), -1, plane);
        string red = Plane(0);
        string green = input.Channels == 3 ? Plane(1) : red;
        string blue = input.Channels == 3 ? Plane(2) : red;

        var values = Values(g, red, green, blue);
        int bins = parameters.Bins;
        var binOf = values.Select(v => Bin(g, v)).ToList();
        if (!parameters.Joint)
        {
            var parts = binOf.Select(b => Fractions(g, b.Index, bins)).ToArray();
            return parts.Length == 1 ? parts[0] : g.Concat(1, parts);
        }

        // index = (…(b0 · bins + b1) · bins + b2…), counted only where every channel is inside.
        string index = binOf[0].Index;
        string inside = binOf[0].Inside;
        foreach (var (bin, inRange) in binOf.Skip(1))
        {
            index = g.Add(g.Mul(index, g.Long(bins)), bin);
            inside = g.And(inside, inRange);
        }

        return Fractions(g, g.Where(inside, index, g.Long(-1)), parameters.Length);
    }

    /// <summary>The selected channels' values in double [batch, pixels], in the histogram's order.</summary>
    private List<string> Values(OnnxGraph g, string red, string green, string blue)
    {
        string max = g.Double(parameters.MaxPixelValue);
        string hue = "", saturation = "", value = "";
        if ((parameters.Channels & ColorHistogramChannels.Hsv) != 0)
        {
            (hue, saturation, value) = Hsv(g, g.Div(red, max), g.Div(green, max), g.Div(blue, max));
        }

        return parameters.Selected.Select(c => c switch
        {
            ColorHistogramChannels.Red => red,
            ColorHistogramChannels.Green => green,
            ColorHistogramChannels.Blue => blue,
            ColorHistogramChannels.Hue => g.Mul(hue, max),
            ColorHistogramChannels.Saturation => g.Mul(saturation, max),
            _ => g.Mul(value, max),
        }).ToList();
    }

    private static (string Hue, string Saturation, string Value) Hsv(OnnxGraph g, string r, string gr, string b)
    {
        string zero = g.Double(0);
        string max = g.Max(r, g.Max(gr, b));
        string delta = g.Sub(max, g.Min(r, g.Min(gr, b)));
        string saturation = g.Where(g.Greater(max, zero), g.Div(delta, max), zero);

        // The branches of ColorHistogram.Hsv: blue is the maximum, else green, else red. Division by a zero delta
        // happens only in values Where discards.
        string fromBlue = g.Add(g.Double(4), g.Div(g.Sub(r, gr), delta));
        string fromGreen = g.Add(g.Double(2), g.Div(g.Sub(b, r), delta));
        string fromRed = g.Div(g.Sub(gr, b), delta);
        string hue = g.Where(g.Equal(b, max), fromBlue, g.Where(g.Equal(gr, max), fromGreen, fromRed));
        hue = g.Div(g.Where(g.Greater(delta, zero), hue, zero), g.Double(6));
        hue = g.Where(g.Less(hue, zero), g.Add(hue, g.Double(1)), hue);
        return (hue, saturation, max);
    }

    /// <summary>The bin of each value (int64, −1 outside [0, max]) as ColorHistogram.Bin: truncation, then one edge correction.</summary>
    private (string Index, string Inside) Bin(OnnxGraph g, string v)
    {
        int bins = parameters.Bins;
        double max = parameters.MaxPixelValue;
        double step = max / bins;
        var edges = Enumerable.Range(0, bins).Select(k => k * step).Append(max).ToArray();
        string edgeTable = g.Doubles(edges, edges.Length);
        string zero = g.Double(0);
        string inside = g.And(g.Or(g.Greater(v, zero), g.Equal(v, zero)), g.Not(g.Greater(v, g.Double(max))));

        // Clamped to [0, bins − 1] everywhere so the edge lookups stay in range; values outside are dropped below.
        string first = g.Cast(g.Max(g.Min(g.Floor(g.Mul(v, g.Double(bins / max))), g.Double(bins - 1)), zero), typeof(long));
        string below = g.Less(v, g.Gather(edgeTable, first));
        string last = g.Equal(first, g.Long(bins - 1));
        string above = g.And(g.Not(below), g.And(g.Not(last), g.NotLess(v, g.Gather(edgeTable, g.Add(first, g.Long(1))))));
        string index = g.Add(g.Sub(first, g.Cast(below, typeof(long))), g.Cast(above, typeof(long)));
        return (g.Where(inside, index, g.Long(-1)), inside);
    }

    /// <summary>Counts of each bin over the pixels [batch, bins], divided by the pixels counted (float, as the featurizer).</summary>
    private static string Fractions(OnnxGraph g, string index, int bins)
    {
        string range = g.Longs(Enumerable.Range(0, bins).Select(b => (long)b), 1, 1, bins);
        string counts = g.ReduceSum(g.Cast(g.Equal(g.Unsqueeze(index, 2), range), typeof(float)), [1], keepDims: false);
        string counted = g.ReduceSum(counts, [1], keepDims: true);
        return g.Mul(counts, g.Div(g.Float(1), g.Max(counted, g.Float(1))));
    }
}
