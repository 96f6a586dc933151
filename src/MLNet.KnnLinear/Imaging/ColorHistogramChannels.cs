namespace MLNet.KnnLinear;

/// <summary>
/// The channels a colour histogram counts: RGB, HSV, or any mix. HSV follows matplotlib's <c>rgb_to_hsv</c> (as the
/// CS231n features assignment uses it), on the same scale as the input: hue ∈ [0, max), saturation ∈ [0, max],
/// value ∈ [0, max], where max is the options' <c>MaxPixelValue</c>.
/// </summary>
[Flags]
public enum ColorHistogramChannels
{
    /// <summary>No channel (invalid as an option).</summary>
    None = 0,

    /// <summary>Red.</summary>
    Red = 1,

    /// <summary>Green.</summary>
    Green = 2,

    /// <summary>Blue.</summary>
    Blue = 4,

    /// <summary>Hue (grey pixels have hue 0).</summary>
    Hue = 8,

    /// <summary>Saturation.</summary>
    Saturation = 16,

    /// <summary>Value (the largest of R, G, B).</summary>
    Value = 32,

    /// <summary>Red, green and blue.</summary>
    Rgb = Red | Green | Blue,

    /// <summary>Hue, saturation and value.</summary>
    Hsv = Hue | Saturation | Value,
}
