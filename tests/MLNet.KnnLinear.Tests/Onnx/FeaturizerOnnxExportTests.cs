using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Tests.Support;
using Xunit.Abstractions;

namespace MLNet.KnnLinear.Tests.Onnx;

/// <summary>
/// ExtractHogFeatures (hard and trilinear voting) and ExtractColorHistogram exported with ConvertToOnnx and run by ONNX Runtime:
/// the features equal ML.NET's within 1e-4 relative on the 1,017 shared CIFAR-10 test images and on odd-sized,
/// interleaved, Single-valued images.
/// </summary>
public sealed class FeaturizerOnnxExportTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData(HogVoting.Hard, HogBlockNormalization.L2Hys, HogColorMode.MaxGradientChannel, false, false)]
    [InlineData(HogVoting.Hard, HogBlockNormalization.L2, HogColorMode.MaxGradientChannel, true, false)]
    [InlineData(HogVoting.Hard, HogBlockNormalization.L1, HogColorMode.Grayscale, false, true)]
    [InlineData(HogVoting.Hard, HogBlockNormalization.L1Sqrt, HogColorMode.MaxGradientChannel, false, true)]
    [InlineData(HogVoting.Hard, HogBlockNormalization.None, HogColorMode.Grayscale, true, false)]
    [InlineData(HogVoting.Trilinear, HogBlockNormalization.L2Hys, HogColorMode.MaxGradientChannel, false, true)]
    [InlineData(HogVoting.Trilinear, HogBlockNormalization.L2Hys, HogColorMode.MaxGradientChannel, false, false)]
    [InlineData(HogVoting.Trilinear, HogBlockNormalization.L1, HogColorMode.Grayscale, true, false)]
    [InlineData(HogVoting.Trilinear, HogBlockNormalization.None, HogColorMode.MaxGradientChannel, true, true)]
    public void Hog_OnCifar10Pixels_OnnxRuntimeGivesMlNetsFeatures(HogVoting voting, HogBlockNormalization normalization, HogColorMode colorMode, bool signed, bool sqrt)
    {
        var ml = new MLContext(seed: 1);
        var test = ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Test, includeImages: false);
        var model = ml.Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options
        {
            OutputColumnName = "Hog",
            InputColumnName = "Pixels",
            CellHeight = 4,
            CellWidth = 4,
            BlockNormalization = normalization,
            ColorMode = colorMode,
            SignedGradients = signed,
            SqrtCompression = sqrt,
            Voting = voting,
        }).Fit(test);

        AssertSameFeatures(ml, model, test, "Hog", batchSize: 128, tolerance: 1e-4);
    }

    [Theory]
    [InlineData(HogVoting.Hard, HogBlockNormalization.L2Hys, 9, false)]
    [InlineData(HogVoting.Hard, HogBlockNormalization.L1, 7, true)]
    [InlineData(HogVoting.Hard, HogBlockNormalization.L2, 4, false)]
    [InlineData(HogVoting.Hard, HogBlockNormalization.L1Sqrt, 12, true)]
    [InlineData(HogVoting.Trilinear, HogBlockNormalization.L2Hys, 9, false)]
    [InlineData(HogVoting.Trilinear, HogBlockNormalization.L2, 7, true)]
    [InlineData(HogVoting.Trilinear, HogBlockNormalization.L1Sqrt, 1, false)]
    public void Hog_OddSizedInterleavedSingleImages_OnnxRuntimeGivesMlNetsFeatures(HogVoting voting, HogBlockNormalization normalization, int orientations, bool signed)
    {
        // 37 × 45 with 6 × 5 cells, 3 × 2 blocks at stride 2: rows and columns outside whole cells, uneven blocks,
        // boundaries at 90° (4 and 12 bins) and 180° (signed). Fractional Single pixels, interleaved.
        var ml = new MLContext(seed: 1);
        var data = InterleavedSingles(ml, count: 40, height: 37, width: 45, seed: 5);
        var model = ml.Transforms.ExtractHogFeatures(new HogFeaturesEstimator.Options
        {
            OutputColumnName = "Hog",
            InputColumnName = "Pixels",
            ImageHeight = 37,
            ImageWidth = 45,
            PixelLayout = PixelLayout.Interleaved,
            CellHeight = 6,
            CellWidth = 5,
            BlockHeight = 3,
            BlockWidth = 2,
            BlockStride = 2,
            Orientations = orientations,
            SignedGradients = signed,
            BlockNormalization = normalization,
            Voting = voting,
        }).Fit(data);

        AssertSameFeatures(ml, model, data, "Hog", batchSize: 7, tolerance: 1e-4);
    }

    [SkippableTheory]
    [InlineData(ColorHistogramChannels.Hue, 10, false)]
    [InlineData(ColorHistogramChannels.Rgb, 8, false)]
    [InlineData(ColorHistogramChannels.Hsv, 4, true)]
    [InlineData(ColorHistogramChannels.Saturation | ColorHistogramChannels.Value | ColorHistogramChannels.Red, 7, false)]
    public void ColorHistogram_OnCifar10Pixels_OnnxRuntimeGivesMlNetsFeatures(ColorHistogramChannels channels, int bins, bool joint)
    {
        var ml = new MLContext(seed: 1);
        var test = ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Test, includeImages: false);
        var model = ml.Transforms.ExtractColorHistogram("Histogram", "Pixels", channels, bins, joint).Fit(test);

        // Counts and the division by the pixels counted are the same float operations on both sides.
        AssertSameFeatures(ml, model, test, "Histogram", batchSize: 128, tolerance: 1e-6);
    }

    [Fact]
    public void ColorHistogram_SinglePixelsOnBinEdgesAndOutsideTheRange_OnnxRuntimeGivesMlNetsFeatures()
    {
        // Values exactly on bin edges, at 0 and at the maximum, below 0 and above the maximum (not counted).
        var ml = new MLContext(seed: 1);
        var data = InterleavedSingles(ml, count: 30, height: 5, width: 7, seed: 9, edges: true);
        var model = ml.Transforms.ExtractColorHistogram(new ColorHistogramEstimator.Options
        {
            OutputColumnName = "Histogram",
            InputColumnName = "Pixels",
            ImageHeight = 5,
            ImageWidth = 7,
            PixelLayout = PixelLayout.Interleaved,
            Channels = ColorHistogramChannels.Rgb | ColorHistogramChannels.Hue,
            BinsPerChannel = 5,
        }).Fit(data);

        AssertSameFeatures(ml, model, data, "Histogram", batchSize: 4, tolerance: 1e-6);
    }

    private void AssertSameFeatures(MLContext ml, ITransformer model, IDataView data, string column, int batchSize, double tolerance)
    {
        var onnx = OnnxScoring.Export(ml, model, data);
        var outputs = OnnxScoring.Run(onnx, data, batchSize);
        var expected = OnnxScoring.ReadColumn(model.Transform(data), column);
        expected.Should().NotBeEmpty();
        expected.SelectMany(v => v).Should().Contain(v => v != 0, "the features are not trivially zero");
        double difference = OnnxAgreement.MaxRelativeDifference(outputs[$"{column}.output"], expected);
        output.WriteLine($"{expected.Count} rows × {expected[0].Length} features: largest relative difference {difference:E2}");
        difference.Should().BeLessThan(tolerance);
    }

    /// <summary>Rows of H × W × 3 interleaved Single pixels: fractional values in [0, 255], or with <paramref name="edges"/> bin edges and out-of-range values.</summary>
    internal static IDataView InterleavedSingles(MLContext ml, int count, int height, int width, int seed, bool edges = false)
    {
        var random = new Random(seed);
        float[] special = [0f, 51f, 102f, 153f, 204f, 255f, -1f, 256f, 127.5f];
        var rows = Enumerable.Range(0, count).Select(_ => new SingleImage
        {
            Pixels = Enumerable.Range(0, height * width * 3).Select(i => edges && random.Next(3) == 0
                ? special[random.Next(special.Length)]
                : (float)(random.NextDouble() * 255)).ToArray(),
        }).ToList();
        var schema = SchemaDefinition.Create(typeof(SingleImage));
        schema[nameof(SingleImage.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, height * width * 3);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private sealed class SingleImage
    {
        public float[] Pixels { get; set; } = [];
    }
}
