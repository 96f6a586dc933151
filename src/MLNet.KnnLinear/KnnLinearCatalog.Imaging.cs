using Microsoft.ML;

namespace MLNet.KnnLinear;

/// <summary>The image featurizers' entry points.</summary>
public static partial class KnnLinearCatalog
{
    /// <summary>
    /// Histogram of Oriented Gradients features of an image column or pixel vector (see <see cref="HogFeaturesEstimator"/>
    /// for the definition and the output size: 324 for a 32 × 32 image with the defaults).
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The appended feature column.</param>
    /// <param name="inputColumnName">An image column (MLImage) or a pixel vector (Byte or Single, planar R, G, B); null: <paramref name="outputColumnName"/>.</param>
    /// <param name="orientations">Orientation bins per cell.</param>
    /// <param name="cellSize">Cell height and width in pixels.</param>
    /// <param name="blockSize">Block height and width in cells.</param>
    /// <param name="blockNormalization">How each block is normalised.</param>
    /// <param name="imageHeight">Height of a pixel vector's images (0: square, or from the image column's type).</param>
    /// <param name="imageWidth">Width of a pixel vector's images (0: as <paramref name="imageHeight"/>).</param>
    public static HogFeaturesEstimator ExtractHogFeatures(
        this TransformsCatalog catalog,
        string outputColumnName,
        string? inputColumnName = null,
        int orientations = 9,
        int cellSize = 8,
        int blockSize = 2,
        HogBlockNormalization blockNormalization = HogBlockNormalization.L2Hys,
        int imageHeight = 0,
        int imageWidth = 0)
        => catalog.ExtractHogFeatures(new HogFeaturesEstimator.Options
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Orientations = orientations,
            CellHeight = cellSize,
            CellWidth = cellSize,
            BlockHeight = blockSize,
            BlockWidth = blockSize,
            BlockNormalization = blockNormalization,
            ImageHeight = imageHeight,
            ImageWidth = imageWidth,
        });

    /// <summary>HoG features with every option (see <see cref="HogFeaturesEstimator.Options"/>).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The featurizer's options; validated here.</param>
    public static HogFeaturesEstimator ExtractHogFeatures(this TransformsCatalog catalog, HogFeaturesEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new HogFeaturesEstimator(options);
    }

    /// <summary>
    /// Colour histogram features of an image column or pixel vector: per selected channel, the fraction of pixels in each
    /// of <paramref name="binsPerChannel"/> bins (see <see cref="ColorHistogramEstimator"/>). The defaults are the CS231n
    /// hue histogram: 10 bins of hue over [0, 255].
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The appended feature column.</param>
    /// <param name="inputColumnName">An image column (MLImage) or a pixel vector (Byte or Single, planar R, G, B); null: <paramref name="outputColumnName"/>.</param>
    /// <param name="channels">The channels histogrammed (RGB, HSV or any mix).</param>
    /// <param name="binsPerChannel">Bins per channel.</param>
    /// <param name="joint">One joint histogram over the channels instead of one per channel.</param>
    public static ColorHistogramEstimator ExtractColorHistogram(
        this TransformsCatalog catalog,
        string outputColumnName,
        string? inputColumnName = null,
        ColorHistogramChannels channels = ColorHistogramChannels.Hue,
        int binsPerChannel = 10,
        bool joint = false)
        => catalog.ExtractColorHistogram(new ColorHistogramEstimator.Options
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Channels = channels,
            BinsPerChannel = binsPerChannel,
            Joint = joint,
        });

    /// <summary>Colour histogram features with every option (see <see cref="ColorHistogramEstimator.Options"/>).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The featurizer's options; validated here.</param>
    public static ColorHistogramEstimator ExtractColorHistogram(this TransformsCatalog catalog, ColorHistogramEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ColorHistogramEstimator(options);
    }
}
