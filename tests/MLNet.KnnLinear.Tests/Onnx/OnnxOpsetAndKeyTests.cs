using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Onnx;

/// <summary>
/// Exports at the lowest opset we write (11), and with ML.NET's own steps after ours (MapKeyToValue turning
/// PredictedLabel back into class names), run by ONNX Runtime.
/// </summary>
public sealed class OnnxOpsetAndKeyTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void EveryFeaturizerAndKnn_AtOpset11_OnnxRuntimeGivesMlNetsOutputs()
    {
        var data = ImageData.ToDataView(_ml, ImageData.Rows(60, 16, 16, seed: 7), 3 * 16 * 16);
        HogFeaturesEstimator.Options Hog(string output, HogVoting voting) => new()
        {
            OutputColumnName = output,
            InputColumnName = "Pixels",
            ImageHeight = 16,
            ImageWidth = 16,
            CellHeight = 4,
            CellWidth = 4,
            Voting = voting,
            SignedGradients = voting == HogVoting.Hard,
        };

        var model = _ml.Transforms.ExtractHogFeatures(Hog("Hard", HogVoting.Hard))
            .Append(_ml.Transforms.ExtractHogFeatures(Hog("Trilinear", HogVoting.Trilinear)))
            .Append(_ml.Transforms.ExtractColorHistogram(new ColorHistogramEstimator.Options { OutputColumnName = "Hsv", InputColumnName = "Pixels", ImageHeight = 16, ImageWidth = 16, Channels = ColorHistogramChannels.Hsv }))
            .Append(_ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(_ml.MulticlassClassification.Trainers.Knn("Label", "Pixels", numberOfNeighbors: 3, distance: KnnDistance.L1))
            .Fit(data);

        var outputs = OnnxScoring.Run(OnnxScoring.Export(_ml, model, data, opset: 11), data, batchSize: 4);
        var expected = model.Transform(data);

        foreach (string column in new[] { "Hard", "Trilinear", "Hsv", "Score" })
        {
            OnnxAgreement.MaxRelativeDifference(outputs[$"{column}.output"], OnnxScoring.ReadColumn(expected, column)).Should().BeLessThan(1e-4, column);
        }

        outputs["PredictedLabel.output"].Should().BeEquivalentTo(OnnxScoring.ReadColumn(expected, "PredictedLabel"), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Knn_FollowedByMapKeyToValue_OnnxRuntimeGivesTheClassNames()
    {
        var rows = SyntheticData.Rows(200, 6, seed: 1);
        var data = SyntheticData.ToDataView(_ml, rows, 6);
        var model = _ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(_ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 3, distance: KnnDistance.L2))
            .Append(_ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);
        var expected = _ml.Data.CreateEnumerable<Prediction>(model.Transform(data), reuseRowObject: false).Select(p => p.PredictedLabel).ToList();

        using var session = new InferenceSession(OnnxScoring.Export(_ml, model, data));
        var features = rows.SelectMany(r => r.Features).ToArray();
        var labels = rows.Select(r => r.Label).ToArray();
        using var results = session.Run(
        [
            NamedOnnxValue.CreateFromTensor("Label", new DenseTensor<string>(labels, [rows.Length, 1])),
            NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(features, [rows.Length, 6])),
        ]);
        var predicted = results.Single(r => r.Name == "PredictedLabel.output").AsTensor<string>().ToArray();

        expected.Should().OnlyContain(p => SyntheticData.ClassNames.Contains(p));
        predicted.Should().Equal(expected);
    }

    private sealed class Prediction
    {
        public string PredictedLabel { get; set; } = string.Empty;
    }
}
