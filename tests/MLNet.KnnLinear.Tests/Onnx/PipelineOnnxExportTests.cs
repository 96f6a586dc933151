using Microsoft.ML;
using MLNet.KnnLinear.Tests.Support;
using Xunit.Abstractions;

namespace MLNet.KnnLinear.Tests.Onnx;

/// <summary>
/// Whole pipelines as users build them, exported with ConvertToOnnx: LoadFromCifar10 pixels → HoG + hue histogram →
/// Concatenate → NormalizeMeanVariance → LinearClassifier (every loss), scored by ONNX Runtime directly and through
/// ML.NET's ApplyOnnxModel, on the 1,017 shared test images.
/// </summary>
public sealed class PipelineOnnxExportTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData(LinearLoss.Softmax)]
    [InlineData(LinearLoss.Hinge)]
    [InlineData(LinearLoss.SquaredHinge)]
    [InlineData(LinearLoss.OneVersusRestSquaredHinge)]
    public void HogHueLinearPipeline_OnnxRuntimeGivesMlNetsScoresAndLabels(LinearLoss loss)
    {
        var ml = new MLContext(seed: 1);
        // 2,000 training rows are plenty for a model to compare on; the test images are all 1,017.
        var train = ml.Data.TakeRows(ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Train, includeImages: false), 2000);
        var test = ml.Data.LoadFromCifar10(Cifar10Data.Directory, Cifar10Split.Test, includeImages: false);
        var model = ml.Transforms.ExtractHogFeatures("Hog", "Pixels", cellSize: 4)
            .Append(ml.Transforms.ExtractColorHistogram("Hue", "Pixels"))
            .Append(ml.Transforms.Concatenate("Features", "Hog", "Hue"))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options { Loss = loss, Lambda = 1e-3 }))
            .Fit(train);

        var onnx = OnnxScoring.Export(ml, model, test);
        var outputs = OnnxScoring.Run(onnx, test, batchSize: 128);
        var scored = model.Transform(test);
        var scores = OnnxScoring.ReadColumn(scored, "Score");
        var predicted = OnnxScoring.ReadColumn(scored, "PredictedLabel");

        double difference = OnnxAgreement.MaxRelativeDifference(outputs["Score.output"], scores);
        output.WriteLine($"{loss}: {onnx.Length:N0} bytes, largest relative Score difference {difference:E2}");
        outputs["PredictedLabel.output"].Select(p => p[0]).Should().Equal(predicted.Select(p => p[0]));
        difference.Should().BeLessThan(1e-4);

        // The same file through ML.NET's own ONNX scorer, which names the columns after the graph outputs without
        // ".output" (once: the graph is the same Gemm and Softmax for every loss).
        if (loss != LinearLoss.Softmax)
        {
            return;
        }

        string path = Path.Combine(RepoPaths.NewTempDirectory(), "pipeline.onnx");
        File.WriteAllBytes(path, onnx);
        var applied = ml.Transforms.ApplyOnnxModel(path).Fit(test).Transform(test);
        OnnxAgreement.MaxRelativeDifference(OnnxScoring.ReadColumn(applied, "Score"), scores).Should().BeLessThan(1e-4);
        OnnxScoring.ReadColumn(applied, "PredictedLabel").Select(p => p[0]).Should().Equal(predicted.Select(p => p[0]));
    }
}
