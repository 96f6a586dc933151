using Microsoft.ML;
using MLNet.KnnLinear.Tests.Conformance;

namespace MLNet.KnnLinear.Tests.Imaging;

/// <summary>HoG over a planar byte pixel vector, hard voting, 4-pixel cells; 300 test rows span two blocks and both threads.</summary>
public sealed class HogPixelConformanceTests() : ImageFeaturizerConformanceTests(new HogFeaturesEstimator.Options
{
    OutputColumnName = "Hog",
    InputColumnName = "Pixels",
    ImageHeight = 16,
    ImageWidth = 16,
    CellHeight = 4,
    CellWidth = 4,
    SqrtCompression = true,
});

/// <summary>HoG with trilinear voting, grey conversion and one thread.</summary>
public sealed class HogTrilinearConformanceTests() : ImageFeaturizerConformanceTests(new HogFeaturesEstimator.Options
{
    OutputColumnName = "Hog",
    InputColumnName = "Pixels",
    ImageHeight = 16,
    ImageWidth = 16,
    CellHeight = 4,
    CellWidth = 4,
    Voting = HogVoting.Trilinear,
    ColorMode = HogColorMode.Grayscale,
    BlockNormalization = HogBlockNormalization.L1Sqrt,
    NumberOfThreads = 1,
});

/// <summary>The colour histogram: hue and value, 8 bins each.</summary>
public sealed class ColorHistogramConformanceTests() : ImageFeaturizerConformanceTests(new ColorHistogramEstimator.Options
{
    OutputColumnName = "Hog",
    InputColumnName = "Pixels",
    ImageHeight = 16,
    ImageWidth = 16,
    Channels = ColorHistogramChannels.Hue | ColorHistogramChannels.Value,
    BinsPerChannel = 8,
});

/// <summary>A joint RGB histogram.</summary>
public sealed class JointColorHistogramConformanceTests() : ImageFeaturizerConformanceTests(new ColorHistogramEstimator.Options
{
    OutputColumnName = "Hog",
    InputColumnName = "Pixels",
    ImageHeight = 16,
    ImageWidth = 16,
    Channels = ColorHistogramChannels.Rgb,
    BinsPerChannel = 4,
    Joint = true,
});

/// <summary>The conformance suite for a featurizer reading 16 × 16 planar RGB bytes from <c>Pixels</c> into <c>Hog</c>.</summary>
public abstract class ImageFeaturizerConformanceTests(ImageFeaturizerOptions options) : EstimatorConformanceTests
{
    private const int Size = 16;

    private readonly ImageFeaturizerBadInputs _bad = new(Size);

    protected override object? Options => options;

    protected override string[] OutputColumns => ["Hog"];

    protected override IEstimator<ITransformer> CreateEstimator(MLContext ml) => options switch
    {
        HogFeaturesEstimator.Options hog => ml.Transforms.ExtractHogFeatures(hog),
        ColorHistogramEstimator.Options histogram => ml.Transforms.ExtractColorHistogram(histogram),
        _ => throw new ArgumentOutOfRangeException(nameof(options)),
    };

    protected override IDataView TrainData(MLContext ml) => ImageFeaturizerBadInputs.Data(ml, Size, rows: 20, seed: 1);

    protected override IDataView TestData(MLContext ml) => ImageFeaturizerBadInputs.Data(ml, Size, rows: 300, seed: 2);

    protected override IEnumerable<BadInput> BadFitInputs => _bad.Both;

    protected override IEnumerable<BadInput> BadTransformInputs => _bad.Both.Concat(_bad.WhileReading);
}
