using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Benchmarks;

/// <summary>
/// kNN Fit ("training is memorising") against its anchor in the same run: one bare cursor pass over the same
/// cached Label and Features columns, the least any Fit must read. Features are pixels as Single, or as Byte (raw
/// pixels, stored by L1 as they come).
/// </summary>
[MemoryDiagnoser]
public class KnnFitBenchmarks
{
    private MLContext _ml = null!;
    private IDataView _train = null!;

    public static IEnumerable<int> RowCounts => BenchmarkData.RowCounts(50_000);

    [ParamsSource(nameof(RowCounts))]
    public int Rows { get; set; }

    [Params(KnnDistance.L1, KnnDistance.L2, KnnDistance.Cosine)]
    public KnnDistance Distance { get; set; }

    [Params(DataKind.Byte, DataKind.Single)]
    public DataKind Type { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ml = new MLContext(seed: 1);
        int d = BenchmarkData.Dimension;
        var pixels = BenchmarkData.Pixels(Rows, d, 1);
        IDataView view;
        if (Type == DataKind.Byte)
        {
            var data = Enumerable.Range(0, Rows).Select(i => new ByteRow { Label = i % 10, Features = pixels.AsSpan(i * d, d).ToArray().Select(v => (byte)v).ToArray() });
            var schema = SchemaDefinition.Create(typeof(ByteRow));
            schema[nameof(ByteRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Byte, d);
            view = _ml.Data.LoadFromEnumerable(data, schema);
        }
        else
        {
            var data = Enumerable.Range(0, Rows).Select(i => new Row { Label = i % 10, Features = pixels.AsSpan(i * d, d).ToArray() });
            var schema = SchemaDefinition.Create(typeof(Row));
            schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
            view = _ml.Data.LoadFromEnumerable(data, schema);
        }

        _train = _ml.Data.Cache(_ml.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view));
        CursorPass(); // fill the cache
    }

    [Benchmark(Baseline = true)]
    public long CursorPass() => CursorPass(_train, Type);

    /// <summary>One bare pass over the Label and Features columns: what any Fit must read at least.</summary>
    public static long CursorPass(IDataView train, DataKind type) => type == DataKind.Byte ? CursorPass<byte>(train) : CursorPass<float>(train);

    private static long CursorPass<T>(IDataView train)
    {
        using var cursor = train.GetRowCursor([train.Schema["Label"], train.Schema["Features"]]);
        var label = cursor.GetGetter<uint>(train.Schema["Label"]);
        var features = cursor.GetGetter<VBuffer<T>>(train.Schema["Features"]);
        uint key = 0;
        VBuffer<T> vector = default;
        long sum = 0;
        while (cursor.MoveNext())
        {
            label(ref key);
            features(ref vector);
            sum += key + vector.Length;
        }

        return sum;
    }

    [Benchmark]
    public object Fit() => _ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 1, distance: Distance).Fit(_train);

    /// <summary>A labelled row of pixel bytes (the Byte feature column).</summary>
    internal sealed class ByteRow
    {
        public int Label { get; set; }

        public byte[] Features { get; set; } = [];
    }

    /// <summary>A labelled row of pixels as Single.</summary>
    internal sealed class Row
    {
        public int Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
