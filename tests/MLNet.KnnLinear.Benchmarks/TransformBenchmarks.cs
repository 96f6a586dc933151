using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Benchmarks;

/// <summary>End to end through ML.NET: Transform of 1,000 queries by a fitted kNN model, every Score read.</summary>
[MemoryDiagnoser]
public class TransformBenchmarks
{
    private MLContext _ml = null!;
    private ITransformer _model = null!;
    private IDataView _test = null!;

    public static IEnumerable<int> RowCounts => BenchmarkData.RowCounts(10_000, 50_000);

    [ParamsSource(nameof(RowCounts))]
    public int Rows { get; set; }

    [Params(KnnDistance.L2, KnnDistance.L1)]
    public KnnDistance Distance { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ml = new MLContext(seed: 1);
        var train = ToDataView(BenchmarkData.Pixels(Rows, BenchmarkData.Dimension, 1), Rows);
        _test = _ml.Data.Cache(ToDataView(BenchmarkData.Pixels(BenchmarkData.Queries, BenchmarkData.Dimension, 2), BenchmarkData.Queries));
        _model = _ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 1, distance: Distance).Fit(train);
    }

    [Benchmark]
    public long TransformAndReadScores()
    {
        var scored = _model.Transform(_test);
        using var cursor = scored.GetRowCursor([scored.Schema["Score"]]);
        var getter = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
        VBuffer<float> score = default;
        long rows = 0;
        while (cursor.MoveNext())
        {
            getter(ref score);
            rows++;
        }

        return rows;
    }

    private IDataView ToDataView(float[] pixels, int rows)
    {
        int d = BenchmarkData.Dimension;
        var data = Enumerable.Range(0, rows).Select(i => new Row { Label = i % 10, Features = pixels.AsSpan(i * d, d).ToArray() });
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        var view = _ml.Data.LoadFromEnumerable(data, schema);
        return _ml.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);
    }

    private sealed class Row
    {
        public int Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
