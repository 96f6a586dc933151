using MLNet.KnnLinear.Imaging;

namespace MLNet.KnnLinear;

/// <summary>
/// Where an image featurizer reads its images: an ML.NET image column (<c>MLImage</c>, Bgra32 or Rgba32, as
/// <c>LoadImages</c> / <c>ResizeImages</c> / <c>ConvertToImage</c> produce) or a known-size pixel vector of Byte or
/// Single (as <c>ExtractPixels</c> produces or CIFAR-10 stores), and what it writes.
/// </summary>
public abstract class ImageFeaturizerOptions
{
    /// <summary>The appended feature column (a known-size vector of Single).</summary>
    public string OutputColumnName { get; set; } = "Features";

    /// <summary>The image or pixel-vector column; null means <see cref="OutputColumnName"/>.</summary>
    public string? InputColumnName { get; set; }

    /// <summary>
    /// Image height in pixels. 0: from the image column's type; for a pixel vector, from
    /// <see cref="ImageWidth"/> and the vector's length, or (both 0) a square image.
    /// </summary>
    public int ImageHeight { get; set; }

    /// <summary>Image width in pixels; 0 as for <see cref="ImageHeight"/>.</summary>
    public int ImageWidth { get; set; }

    /// <summary>Channels of a pixel vector: 3 (R, G, B) or 1 (grey). Image columns are always read as R, G, B (alpha is ignored).</summary>
    public int VectorChannels { get; set; } = 3;

    /// <summary>How a pixel vector's channels are ordered.</summary>
    public PixelLayout PixelLayout { get; set; } = PixelLayout.Planar;

    /// <summary>
    /// Threads that compute the features of a block of rows; null: all cores. Results do not depend on it. A runtime
    /// setting, not saved with the model: a loaded featurizer uses every core.
    /// </summary>
    public int? NumberOfThreads { get; set; }

    internal virtual void Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputColumnName))
        {
            throw new ArgumentOutOfRangeException(nameof(OutputColumnName), "OutputColumnName must name a column.");
        }

        Positive(ImageHeight, nameof(ImageHeight), allowZero: true);
        Positive(ImageWidth, nameof(ImageWidth), allowZero: true);
        if (VectorChannels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(VectorChannels), VectorChannels, "VectorChannels must be 1 (grey) or 3 (R, G, B).");
        }

        if (!Enum.IsDefined(PixelLayout))
        {
            throw new ArgumentOutOfRangeException(nameof(PixelLayout), PixelLayout, "PixelLayout must be Planar or Interleaved.");
        }

        if (NumberOfThreads is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(NumberOfThreads), NumberOfThreads, "NumberOfThreads must be positive (or null for all cores).");
        }
    }

    internal ImageSource ToSource()
        => new(InputColumnName ?? OutputColumnName, ImageHeight, ImageWidth, VectorChannels, PixelLayout);

    private protected static void Positive(int value, string name, bool allowZero = false)
    {
        if (value < 0 || (value == 0 && !allowZero))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be {(allowZero ? "zero or positive" : "positive")}.");
        }
    }
}
