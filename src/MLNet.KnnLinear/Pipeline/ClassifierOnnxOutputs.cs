using MLNet.KnnLinear.MlNetInterop;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// A classifier's ONNX outputs as ML.NET's exporter writes its own: <c>Score</c> (float, batch × classes) and
/// <c>PredictedLabel</c> (uint32 key, batch × 1, 1-based).
/// </summary>
internal static class ClassifierOnnxOutputs
{
    /// <param name="g">The graph.</param>
    /// <param name="columns">The mapping's columns (<see cref="PredictionColumns"/>).</param>
    /// <param name="scores">Scores, float [batch, classes].</param>
    /// <param name="predictedClass">The 0-based predicted class, int64 [batch, 1].</param>
    public static void Write(OnnxGraph g, IReadOnlyList<MappedColumn> columns, string scores, string predictedClass)
    {
        string key = g.Cast(g.Add(predictedClass, g.Long(1)), typeof(uint));
        g.SetColumn(columns[PredictionColumns.Score], scores);
        g.SetColumn(columns[PredictionColumns.PredictedLabel], key);
    }
}
