using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Linear;

/// <summary>
/// The linear classifier as ONNX, for every loss: s = Gemm(x, Wᵀ) + b, <c>Score</c> = Softmax(s) (what the
/// transformer reports for every loss), <c>PredictedLabel</c> = the first maximum of the scores + 1.
/// </summary>
internal static class LinearOnnxExport
{
    public static void Export(OnnxGraph g, LinearModelParameters model, string features, IReadOnlyList<MappedColumn> columns)
    {
        string weights = g.Floats(model.Weights, model.ClassCount, model.FeatureCount);
        string biases = g.Floats(model.Biases, model.ClassCount);
        string probabilities = g.Softmax(g.GemmTransposed(features, weights, biases), axis: 1);
        ClassifierOnnxOutputs.Write(g, columns, probabilities, g.ArgMax(probabilities, axis: 1));
    }
}
