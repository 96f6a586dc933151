using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Cifar10;

/// <summary>Fits one method, evaluates it on the test set, and times both (a row of the results table).</summary>
internal static class Measurement
{
    public static (string, MulticlassClassificationMetrics, TimeSpan, TimeSpan, ITransformer) Measure(MLContext ml, string name, IEstimator<ITransformer> trainer, IDataView train, IDataView test)
    {
        var watch = Stopwatch.StartNew();
        var model = trainer.Fit(train);
        var fit = watch.Elapsed;
        watch.Restart();
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        return (name, metrics, fit, watch.Elapsed, model);
    }
}
