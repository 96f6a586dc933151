namespace MLNet.KnnLinear.Plotting;

/// <summary>
/// Maps data values on [<paramref name="Min"/>, <paramref name="Max"/>] linearly (or by log₁₀) onto pixels from
/// <paramref name="From"/> to <paramref name="To"/>. A y axis runs from the bottom pixel up, so there From &gt; To.
/// </summary>
internal sealed record Axis(double Min, double Max, double From, double To, bool Log = false)
{
    /// <summary>
    /// An axis over the values with 8 % of their span added at both ends, so no mark sits on the frame. A single value
    /// v gets v ± 10 % (± 0.5 around 0), close enough that e.g. one accuracy of 30 % is not drawn on a −20 … 80 % axis.
    /// On a log axis the padding is in decades.
    /// </summary>
    public static Axis Around(IEnumerable<double> values, double from, double to, bool log = false)
    {
        var scaled = values.Select(v => log ? Math.Log10(v) : v).ToArray();
        double min = scaled.Min();
        double max = scaled.Max();
        double span = max - min;
        double pad = span > 0 ? span * 0.08 : min != 0 ? Math.Abs(min) * 0.1 : 0.5;
        (min, max) = (min - pad, max + pad);
        return log ? new(Math.Pow(10, min), Math.Pow(10, max), from, to, Log: true) : new(min, max, from, to);
    }

    /// <summary>The pixel coordinate of <paramref name="value"/> (not clamped: values outside the range land outside).</summary>
    public double ToPixel(double value)
    {
        double t = Log
            ? (Math.Log10(value) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
            : (value - Min) / (Max - Min);
        return From + (t * (To - From));
    }
}
