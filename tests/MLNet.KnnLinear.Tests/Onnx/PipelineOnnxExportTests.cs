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

        var run = ClassifierOnnxComparison.Run(ml, model, test);

        output.WriteLine($"{loss}: {run.Onnx.Length:N0} bytes, largest relative Score difference {run.ScoreDifference:E2}");
        run.OnnxPredicted.Should().Equal(run.Predicted);
        run.ScoreDifference.Should().BeLessThan(1e-4);

        // Once through ML.NET's own ONNX scorer: the graph is the same Gemm and Softmax for every loss.
        if (loss == LinearLoss.Softmax)
        {
            run.AssertApplyOnnxModelAgrees(ml, test);
        }
    }
}
