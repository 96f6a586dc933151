using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Benchmarks;

/// <summary>
/// Fit time of the linear classifier (softmax, hinge, one-vs-rest squared hinge) beside ML.NET's LbfgsMaximumEntropy
/// on the same CIFAR-shaped features (centred pixels / 255, 10 classes). Accuracy on real images is compared by the
/// example; this measures speed.
/// </summary>
[MemoryDiagnoser]
public class LinearTrainerBenchmarks
{
    private MLContext _ml = null!;
    private IDataView _train = null!;

    public static IEnumerable<int> RowCounts => BenchmarkData.RowCounts(2_000, 8_000);

    [ParamsSource(nameof(RowCounts))]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ml = new MLContext(seed: 1);
        int d = BenchmarkData.Dimension;
        var pixels = BenchmarkData.Pixels(Rows, d, seed: 1);
        var random = new Random(2);
        var rows = Enumerable.Range(0, Rows).Select(i => new Row
        {
            Label = random.Next(10),
            Features = pixels.AsSpan(i * d, d).ToArray().Select(v => (v - 127.5f) / 255f).ToArray(),
        }).ToList();
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        var view = _ml.Data.LoadFromEnumerable(rows, schema);
        _train = _ml.Data.Cache(_ml.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view));
    }

    [Benchmark(Baseline = true)]
    public object LbfgsMaximumEntropy() => _ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy().Fit(_train);

    [Benchmark]
    public object LinearClassifierSoftmax()
        => _ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options { Loss = LinearLoss.Softmax, Lambda = 1e-2 }).Fit(_train);

    [Benchmark]
    public object LinearClassifierHinge()
        => _ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options { Loss = LinearLoss.Hinge, Lambda = 1e-1 }).Fit(_train);

    [Benchmark]
    public object LinearClassifierOneVersusRestSquaredHinge()
        => _ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options { Loss = LinearLoss.OneVersusRestSquaredHinge, Lambda = 1e-1 }).Fit(_train);

    private sealed class Row
    {
        public int Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
