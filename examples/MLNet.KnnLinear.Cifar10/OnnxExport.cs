using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear;

namespace MLNet.KnnLinear.Cifar10;

/// <summary>
/// Exports a fitted pipeline (pixels to PredictedLabel) with ML.NET's ConvertToOnnx and scores the file back with
/// ApplyOnnxModel (ONNX Runtime), counting the test images on which the file predicts what the model does.
/// </summary>
internal static class OnnxExport
{
    public static (string Path, long Bytes, int Agreeing, int Total) Run(MLContext ml, ITransformer model, string dataDirectory, int testCount, string outputDirectory)
    {
        // ONNX has no image type, so the data the exporter sees must not hold the Image column.
        var test = ml.Data.TakeRows(ml.Data.LoadFromCifar10(dataDirectory, Cifar10Split.Test, includeImages: false), testCount);
        string path = Path.Combine(outputDirectory, "cifar10-features-softmax.onnx");
        using (var file = File.Create(path))
        {
            ml.Model.ConvertToOnnx(model, test, file);
        }

        var fromOnnx = ml.Transforms.ApplyOnnxModel(path).Fit(test).Transform(test).GetColumn<VBuffer<uint>>("PredictedLabel").Select(v => v.GetItemOrDefault(0));
        var fromModel = model.Transform(test).GetColumn<uint>("PredictedLabel");
        var pairs = fromOnnx.Zip(fromModel).ToList();
        return (path, new FileInfo(path).Length, pairs.Count(p => p.First == p.Second), pairs.Count);
    }
}
