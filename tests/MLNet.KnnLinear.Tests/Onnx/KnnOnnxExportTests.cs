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

        var run = ClassifierOnnxComparison.Run(ml, model, test);

        output.WriteLine($"{distance} {weighting} k = {k}: {run.Onnx.Length:N0} bytes, largest relative Score difference {run.ScoreDifference:E2}");
        run.OnnxPredicted.Should().Equal(run.Predicted, "pixel distances are whole numbers, computed exactly on both sides");
        run.ScoreDifference.Should().BeLessThan(1e-4);
        OnnxAgreement.ArgmaxOfScores(run.OnnxScores).Should().Equal(run.Predicted, "the exported tie rule keeps argmax(Score) = PredictedLabel");
        if (distance == KnnDistance.L2 && weighting == KnnWeighting.Uniform)
        {
            run.AssertApplyOnnxModelAgrees(ml, test);
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

        var run = ClassifierOnnxComparison.Run(ml, model, test);
        var features = OnnxScoring.ReadColumn(model.Transform(test), "Features");
        var knn = model.LastTransformer.Model;

        int differing = 0, ties = 0, tiedAndDiffering = 0;
        for (int row = 0; row < run.Predicted.Count; row++)
        {
            bool tie = OnnxAgreement.HasNeighbourTie(knn, features[row]);
            bool differs = run.OnnxPredicted[row] != run.Predicted[row];
            ties += tie ? 1 : 0;
            differing += differs ? 1 : 0;
            tiedAndDiffering += tie && differs ? 1 : 0;
        }

        output.WriteLine($"{distance}: {differing} of {run.Predicted.Count} predictions differ; {ties} rows have neighbour distances tied within 1e-4 relative");
        differing.Should().Be(tiedAndDiffering, "every differing prediction has neighbours whose distances tie within float rounding");
        differing.Should().BeLessThan(run.Predicted.Count / 50);
    }
}
