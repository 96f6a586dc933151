namespace MLNet.KnnLinear;

/// <summary>How the channels of an image are ordered in a pixel vector.</summary>
public enum PixelLayout
{
    /// <summary>All red values, then all green, then all blue, each row-major: as ML.NET's <c>ExtractPixels</c> and CIFAR-10 store them.</summary>
    Planar,

    /// <summary>R, G, B of the first pixel, then of the next, row-major (as most image libraries store them).</summary>
    Interleaved,
}
