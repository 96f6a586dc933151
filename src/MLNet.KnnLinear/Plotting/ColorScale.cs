namespace MLNet.KnnLinear.Plotting;

/// <summary>
/// A sequential colour scale from white (0) through light and mid blue to navy (1), piecewise linear between a few
/// stops. Light for small values, so a confusion matrix reads as a dark diagonal on a pale background, and a single
/// hue, so it stays ordered in grey print.
/// </summary>
internal static class ColorScale
{
    private static readonly Rgb[] Stops =
    [
        new(255, 255, 255),
        new(190, 215, 236),
        new(95, 160, 210),
        new(30, 100, 175),
        new(10, 45, 105),
    ];

    /// <summary>The colour at <paramref name="t"/> in [0, 1] (clamped; NaN counts as 0).</summary>
    public static Rgb At(double t)
    {
        t = double.IsNaN(t) ? 0 : Math.Clamp(t, 0, 1);
        double position = t * (Stops.Length - 1);
        int low = Math.Min((int)position, Stops.Length - 2);
        return Rgb.Lerp(Stops[low], Stops[low + 1], position - low);
    }
}
