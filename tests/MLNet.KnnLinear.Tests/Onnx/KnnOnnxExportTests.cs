using Microsoft.ML;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Onnx;

/// <summary>
/// kNN pipelines exported with ML.NET's ConvertToOnnx and run by ONNX Runtime give ML.NET's Score and
/// PredictedLabel on the 1,017 shared CIFAR-10 test images.
/// </summary>
public sealed class KnnOnnxExportTests
{
    [SkippableTheory]
    [InlineData(KnnDistance.L1, KnnWeighting.Uniform, 5)]
    [InlineData(KnnDistance.L2, KnnWeighting.Uniform, 5)]
    [InlineData(KnnDistance.L2, KnnWeighting.InverseDistance, 7)]
    [InlineData(KnnDistance.Cosine, KnnWeighting.Uniform, 10)]
    public void Knn_OnCifar10Pixels_OnnxRuntimeGivesMlNetsScoresAndLabels(KnnDistance distance, KnnWeighting weighting, int k)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Train, includeImages: false);
        var test = ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Test, includeImages: false);
        var model = ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options
        {
            FeatureColumnName = "Pixels",
            NumberOfNeighbors = k,
            Distance = distance,
            Weighting = weighting,
        }).Fit(train);

        var onnx = OnnxScoring.Export(ml, model, test);
        var outputs = OnnxScoring.Run(onnx, test, batchSize: distance == KnnDistance.L1 ? 2 : 128);
        var scored = model.Transform(test);
        var scores = OnnxScoring.ReadColumn(scored, "Score");
        var predicted = OnnxScoring.ReadColumn(scored, "PredictedLabel");

        outputs["PredictedLabel.output"].Select(p => p[0]).Should().Equal(predicted.Select(p => p[0]), "pixel distances are whole numbers, computed exactly on both sides");
        OnnxAgreement.MaxRelativeDifference(outputs["Score.output"], scores).Should().BeLessThan(1e-4);
    }
}
