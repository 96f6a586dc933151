using System.Globalization;

namespace MLNet.KnnLinear.Plotting;

/// <summary>
/// Tick values at round steps (1, 2 or 5 × 10ⁿ; Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990), so
/// labels read "20 %, 25 %, 30 %" rather than the range cut into equal but ragged parts.
/// </summary>
internal static class NiceTicks
{
    /// <summary>The multiples of a round step inside [<paramref name="min"/>, <paramref name="max"/>], about <paramref name="target"/> of them.</summary>
    public static double[] Between(double min, double max, int target = 6)
    {
        double step = Step(max - min, target);
        var ticks = new List<double>();
        for (double k = Math.Ceiling((min / step) - 1e-9); k * step <= max + (step * 1e-9); k++)
        {
            ticks.Add((k * step) + 0.0); // + 0.0 turns −0 (from Math.Ceiling of a small negative) into 0, so no "-0%" label
        }

        return [.. ticks];
    }

    /// <summary>The round step that cuts <paramref name="span"/> into about <paramref name="target"/> parts.</summary>
    public static double Step(double span, int target)
    {
        if (!(span > 0) || double.IsInfinity(span))
        {
            throw new ArgumentOutOfRangeException(nameof(span), span, "Ticks need a positive, finite range.");
        }

        double raw = span / Math.Max(target, 1);
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double fraction = raw / magnitude;
        return magnitude * (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10);
    }

    /// <summary>A fraction as a percentage with as many decimals as the step needs ("25%", "27.5%").</summary>
    public static string Percent(double value, double step)
    {
        int decimals = Math.Clamp((int)Math.Ceiling(-Math.Log10(step * 100) - 1e-9), 0, 6);
        return ((value * 100) + 0.0).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%";
    }
}
