namespace MLNet.KnnLinear;

/// <summary>How a colour image becomes one gradient per pixel (single-channel input ignores this).</summary>
public enum HogColorMode
{
    /// <summary>
    /// Per pixel, the gradient of the channel with the largest gradient magnitude (ties: red, then green; blue first with trilinear voting, as OpenCV); Dalal and
    /// Triggs, scikit-image (<c>channel_axis=-1</c>) and OpenCV all do this.
    /// </summary>
    MaxGradientChannel,

    /// <summary>
    /// Convert to luminance first, Y = 0.2125 R + 0.7154 G + 0.0721 B (scikit-image's <c>rgb2gray</c>), on the input's own
    /// scale.
    /// </summary>
    Grayscale,
}
