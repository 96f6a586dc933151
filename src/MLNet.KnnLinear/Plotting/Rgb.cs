namespace MLNet.KnnLinear.Plotting;

/// <summary>
/// An opaque 8-bit colour. The plots mix colours only through a shape's edge coverage or opacity at the moment it is
/// drawn (see <see cref="RgbCanvas.Blend"/>), so the canvas needs no alpha channel.
/// </summary>
internal readonly record struct Rgb(byte R, byte G, byte B)
{
    public static Rgb White => new(255, 255, 255);

    public static Rgb Black => new(0, 0, 0);

    /// <summary>Text and axes: a near-black, softer than pure black beside the coloured marks.</summary>
    public static Rgb Ink => new(34, 34, 34);

    /// <summary>Grid lines and cell borders, light enough not to compete with the data.</summary>
    public static Rgb Grid => new(225, 225, 225);

    public static Rgb SteelBlue => new(70, 130, 180);

    public static Rgb DarkOrange => new(230, 120, 0);

    /// <summary>The colour <paramref name="t"/> of the way from <paramref name="from"/> to <paramref name="to"/> (clamped to [0, 1]).</summary>
    public static Rgb Lerp(Rgb from, Rgb to, double t)
    {
        t = Math.Clamp(t, 0, 1);
        return new(Mix(from.R, to.R, t), Mix(from.G, to.G, t), Mix(from.B, to.B, t));
    }

    /// <summary>Relative luminance in [0, 1] (Rec. 709 weights on the 8-bit values), to choose black or white text over a fill.</summary>
    public double Luminance => ((0.2126 * R) + (0.7152 * G) + (0.0722 * B)) / 255;

    internal static byte Mix(byte from, byte to, double t) => (byte)Math.Round(from + ((to - from) * t));
}
