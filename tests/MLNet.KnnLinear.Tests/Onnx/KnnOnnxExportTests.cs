using Microsoft.ML;
using MLNet.KnnLinear.Tests.Support;
using Xunit.Abstractions;

namespace MLNet.KnnLinear.Tests.Onnx;

/// <summary>
/// kNN pipelines exported with ML.NET's ConvertToOnnx and run by ONNX Runtime give ML.NET's Score and
/// PredictedLabel on the 1,017 shared CIFAR-10 test images.
/// </summary>
public sealed class KnnOnnxExportTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData(KnnDistance.L1, KnnWeighting.Uniform, 5)]
    [InlineData(KnnDistance.L2, KnnWeighting.Uniform, 5)]
    [InlineData(KnnDistance.L2, KnnWeighting.InverseDistance, 7)]
    [InlineData(KnnDistance.Cosine, KnnWeighting.Uniform, 10)]
    [InlineData(KnnDistance.L1, KnnWeighting.InverseDistance, 1)]
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
        var outputs = OnnxScoring.Run(onnx, test, batchSize: 128);
        var scored = model.Transform(test);
        var scores = OnnxScoring.ReadColumn(scored, "Score");
        var predicted = OnnxScoring.ReadColumn(scored, "PredictedLabel");

        double difference = OnnxAgreement.MaxRelativeDifference(outputs["Score.output"], scores);
        output.WriteLine($"{distance} {weighting} k = {k}: {onnx.Length:N0} bytes, largest relative Score difference {difference:E2}");
        outputs["PredictedLabel.output"].Select(p => p[0]).Should().Equal(predicted.Select(p => p[0]), "pixel distances are whole numbers, computed exactly on both sides");
        difference.Should().BeLessThan(1e-4);
        OnnxAgreement.ArgmaxOfScores(outputs["Score.output"]).Should().Equal(predicted.Select(p => p[0]), "the exported tie rule keeps argmax(Score) = PredictedLabel");

        if (distance == KnnDistance.L2 && weighting == KnnWeighting.Uniform)
        {
            // The same file through ML.NET's own ONNX scorer (one row per call).
            string path = Path.Combine(RepoPaths.NewTempDirectory(), "knn.onnx");
            File.WriteAllBytes(path, onnx);
            var applied = ml.Transforms.ApplyOnnxModel(path).Fit(test).Transform(test);
            OnnxScoring.ReadColumn(applied, "PredictedLabel").Select(p => p[0]).Should().Equal(predicted.Select(p => p[0]));
            OnnxAgreement.MaxRelativeDifference(OnnxScoring.ReadColumn(applied, "Score"), scores).Should().BeLessThan(1e-4);
        }
    }

    [SkippableTheory]
    [InlineData(KnnDistance.L2)]
    [InlineData(KnnDistance.Cosine)]
    [InlineData(KnnDistance.L1)]
    public void Knn_OnStandardisedHogFeatures_DisagreesOnlyOnFloatTies(KnnDistance distance)
    {
        // Fractional features: the model ranks float32 distances, the graph double (L2, cosine) or float sums in
        // another order (L1). A prediction may differ only where neighbour distances tie to float rounding.
        const int k = 5;
        var ml = new MLContext(seed: 1);
        var train = ml.Data.TakeRows(ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Train, includeImages: false), 4000);
        var test = ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Test, includeImages: false);
        var model = ml.Transforms.ExtractHogFeatures("Hog", "Pixels", cellSize: 4)
            .Append(ml.Transforms.NormalizeMeanVariance("Features", "Hog"))
            .Append(ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: k, distance: distance))
            .Fit(train);

        var onnx = OnnxScoring.Export(ml, model, test);
        var outputs = OnnxScoring.Run(onnx, test, batchSize: 128);
        var scored = model.Transform(test);
        var predicted = OnnxScoring.ReadColumn(scored, "PredictedLabel").Select(p => p[0]).ToList();
        var features = OnnxScoring.ReadColumn(scored, "Features");
        var knn = model.LastTransformer.Model;

        int differing = 0, ties = 0, tiedAndDiffering = 0;
        for (int row = 0; row < predicted.Count; row++)
        {
            bool tie = OnnxAgreement.HasNeighbourTie(knn, features[row]);
            bool differs = outputs["PredictedLabel.output"][row][0] != predicted[row];
            ties += tie ? 1 : 0;
            differing += differs ? 1 : 0;
            tiedAndDiffering += tie && differs ? 1 : 0;
        }

        output.WriteLine($"{distance}: {differing} of {predicted.Count} predictions differ; {ties} rows have neighbour distances tied within 1e-4 relative");
        differing.Should().Be(tiedAndDiffering, "every differing prediction has neighbours whose distances tie within float rounding");
        differing.Should().BeLessThan(predicted.Count / 50);
    }
}
