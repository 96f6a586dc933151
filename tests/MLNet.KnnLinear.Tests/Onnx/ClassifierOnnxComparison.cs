using Microsoft.ML;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Onnx;

/// <summary>A fitted classifier pipeline exported, scored by ONNX Runtime, and its ML.NET Score and PredictedLabel beside.</summary>
public sealed class ClassifierOnnxComparison
{
    private ClassifierOnnxComparison(byte[] onnx, Dictionary<string, List<double[]>> outputs, List<double[]> scores, List<double> predicted)
    {
        Onnx = onnx;
        OnnxScores = outputs["Score.output"];
        OnnxPredicted = outputs["PredictedLabel.output"].Select(p => p[0]).ToList();
        Scores = scores;
        Predicted = predicted;
    }

    public byte[] Onnx { get; }

    public List<double[]> OnnxScores { get; }

    public List<double> OnnxPredicted { get; }

    public List<double[]> Scores { get; }

    public List<double> Predicted { get; }

    /// <summary>The largest relative difference between ONNX Runtime's scores and ML.NET's.</summary>
    public double ScoreDifference => OnnxAgreement.MaxRelativeDifference(OnnxScores, Scores);

    public static ClassifierOnnxComparison Run(MLContext ml, ITransformer model, IDataView test, int batchSize = 128)
    {
        var onnx = OnnxScoring.Export(ml, model, test);
        var outputs = OnnxScoring.Run(onnx, test, batchSize);
        var scored = model.Transform(test);
        return new ClassifierOnnxComparison(onnx, outputs, OnnxScoring.ReadColumn(scored, "Score"), OnnxScoring.ReadColumn(scored, "PredictedLabel").Select(p => p[0]).ToList());
    }

    /// <summary>The same file through ML.NET's own ONNX scorer (which names the columns without ".output") gives ML.NET's outputs.</summary>
    public void AssertApplyOnnxModelAgrees(MLContext ml, IDataView test)
    {
        string path = Path.Combine(RepoPaths.NewTempDirectory(), "model.onnx");
        File.WriteAllBytes(path, Onnx);
        var applied = ml.Transforms.ApplyOnnxModel(path).Fit(test).Transform(test);
        OnnxScoring.ReadColumn(applied, "PredictedLabel").Select(p => p[0]).Should().Equal(Predicted);
        OnnxAgreement.MaxRelativeDifference(OnnxScoring.ReadColumn(applied, "Score"), Scores).Should().BeLessThan(1e-4);
    }
}
