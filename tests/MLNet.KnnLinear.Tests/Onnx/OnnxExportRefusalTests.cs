using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Onnx;

/// <summary>
/// What cannot be exported is refused at ConvertToOnnx with an exception naming the component and the option (never
/// a silently wrong graph), and what can is a real graph: its inputs are the data's columns, not the pipeline's outputs.
/// </summary>
public sealed class OnnxExportRefusalTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Theory]
    [InlineData("ivf", "Knn with Index = IvfIndexOptions")]
    [InlineData("hnsw", "Knn with Index = HnswIndexOptions")]
    public void Knn_WithAnApproximateIndex_IsRefusedNamingTheIndexOption(string kind, string expected)
    {
        var data = SyntheticData.Keyed(_ml, SyntheticData.Rows(200, 8, seed: 1), 8);
        NeighborIndexOptions index = kind == "ivf" ? new IvfIndexOptions { NumberOfLists = 4, NumberOfProbes = 2 } : new HnswIndexOptions();
        var model = _ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { Index = index }).Fit(data);

        var export = () => OnnxScoring.Export(_ml, model, data);

        export.Should().Throw<NotSupportedException>().WithMessage($"*{expected}*ExactIndexOptions*");
    }

    [Fact]
    public void Knn_OfCosineCodes_IsRefusedNamingTheEncoding_WhileL2CodesExportTheirDecodedRows()
    {
        var data = SyntheticData.Keyed(_ml, SyntheticData.Rows(200, 8, seed: 3), 8);
        var cosine = _ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { Distance = KnnDistance.Cosine, Index = new ExactIndexOptions { Encoding = new ScalarQuantizerEncoding() } }).Fit(data);
        FluentActions.Invoking(() => OnnxScoring.Export(_ml, cosine, data)).Should().Throw<NotSupportedException>().WithMessage("*cosine index of 8-bit codes*Encoding*");

        var l2 = _ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { NumberOfNeighbors = 3, Index = new ExactIndexOptions { Encoding = new ScalarQuantizerEncoding() } }).Fit(data);
        var run = ClassifierOnnxComparison.Run(_ml, l2, data);
        run.OnnxPredicted.Should().Equal(run.Predicted, "the graph searches the rows as the codes decode, as the model does");
    }

    [Fact]
    public void FindNearestNeighbors_WithAnApproximateIndex_IsRefusedNamingTheIndexOption()
    {
        var data = FeaturizerOnnxExportTests.InterleavedSingles(_ml, count: 50, height: 4, width: 4, seed: 2);
        var model = _ml.Transforms.FindNearestNeighbors("Neighbors", "Pixels", 3, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 2, NumberOfProbes = 1 }).Fit(data);

        var export = () => OnnxScoring.Export(_ml, model, data);

        export.Should().Throw<NotSupportedException>().WithMessage("*FindNearestNeighbors with Index = IvfIndexOptions*");
    }

    [SkippableFact]
    public void DataWithTheImageColumn_IsRefusedNamingTheColumnAndTheRemedy()
    {
        var test = _ml.Data.TakeRows(_ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Test), 20);
        var model = _ml.Transforms.ExtractColorHistogram("Hue", "Pixels").Fit(test);

        var export = () => OnnxScoring.Export(_ml, model, test);

        export.Should().Throw<InvalidOperationException>().WithMessage("*image column 'Image'*includeImages: false*");
    }

    [SkippableFact]
    public void Featurizer_ReadingAnImageColumn_IsRefusedNamingTheColumn()
    {
        // The pipeline's own ExtractPixels-free path: HoG straight from the MLImage column.
        var test = _ml.Data.TakeRows(_ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Test), 20);
        var model = _ml.Transforms.ExtractHogFeatures("Hog", "Image").Fit(test);

        var export = () => OnnxScoring.Export(_ml, model, test);

        export.Should().Throw<NotSupportedException>().WithMessage("*ExtractHogFeatures reads the image column 'Image'*");
    }

    [Fact]
    public void JointColorHistogram_TooLargeToCountInAGraph_IsRefusedNamingBins()
    {
        var data = FeaturizerOnnxExportTests.InterleavedSingles(_ml, count: 1, height: 480, width: 640, seed: 4);
        var model = _ml.Transforms.ExtractColorHistogram(new ColorHistogramEstimator.Options
        {
            InputColumnName = "Pixels",
            ImageHeight = 480,
            ImageWidth = 640,
            PixelLayout = PixelLayout.Interleaved,
            Channels = ColorHistogramChannels.Rgb,
            BinsPerChannel = 32,
            Joint = true,
        }).Fit(data);

        var export = () => OnnxScoring.Export(_ml, model, data);

        export.Should().Throw<NotSupportedException>().WithMessage("*ExtractColorHistogram*Bins = 32*");
    }

    [Fact]
    public void Opset10_IsRefusedNamingTheMinimum()
    {
        var data = SyntheticData.Keyed(_ml, SyntheticData.Rows(100, 8, seed: 1), 8);
        var model = _ml.MulticlassClassification.Trainers.Knn().Fit(data);

        var export = () => OnnxScoring.Export(_ml, model, data, opset: 10);

        export.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Knn's minimum OpSet version requirement: 11*");
    }

    [Fact]
    public void ExportedGraph_TakesTheDataColumnsAsInputs_NotThePipelinesOutputs()
    {
        // The failure this replaces: a graph whose inputs were the pipeline's own outputs, copied by Identity nodes.
        var data = ImageData.ToDataView(_ml, ImageData.Rows(30, 16, 16, seed: 3), 3 * 16 * 16);
        var model = _ml.Transforms.ExtractHogFeatures("Hog", "Pixels", cellSize: 4, imageHeight: 16, imageWidth: 16)
            .Append(_ml.Transforms.ExtractColorHistogram(new ColorHistogramEstimator.Options { OutputColumnName = "Hue", InputColumnName = "Pixels", ImageHeight = 16, ImageWidth = 16 }))
            .Fit(data);

        using var session = new InferenceSession(OnnxScoring.Export(_ml, model, data));

        session.InputMetadata.Keys.Should().BeEquivalentTo(["Label", "Pixels"]);
        session.OutputMetadata.Keys.Should().Contain(["Hog.output", "Hue.output"]);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void FindNearestNeighbors_Exact_OnnxRuntimeGivesTheSameRowsAndDistances(int opset)
    {
        var data = FeaturizerOnnxExportTests.InterleavedSingles(_ml, count: 60, height: 5, width: 6, seed: 6);
        var model = _ml.Transforms.FindNearestNeighbors(new NearestNeighborsEstimator.Options
        {
            InputColumnName = "Pixels",
            OutputColumnName = "Neighbors",
            DistancesColumnName = "Distances",
            NumberOfNeighbors = 4,
            Distance = KnnDistance.L2,
        }).Fit(data);

        var outputs = OnnxScoring.Run(OnnxScoring.Export(_ml, model, data, opset), data, batchSize: 16);
        var expected = model.Transform(data);

        outputs["Neighbors.output"].Should().BeEquivalentTo(OnnxScoring.ReadColumn(expected, "Neighbors"), o => o.WithStrictOrdering());
        OnnxAgreement.MaxRelativeDifference(outputs["Distances.output"], OnnxScoring.ReadColumn(expected, "Distances")).Should().BeLessThan(1e-4);
    }
}
