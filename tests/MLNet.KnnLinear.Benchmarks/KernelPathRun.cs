using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Kernels;

namespace MLNet.KnnLinear.Benchmarks;

/// <summary>
/// kNN L1 through ML.NET on whichever kernel path this process has: 20,000 CIFAR-shaped training rows (3,072 pixel
/// bytes as floats), Transform of 500 queries with every Score read, best of 3 after a warm-up. Run it under
/// DOTNET_EnableAVX2=0 (the 16-byte path) and DOTNET_EnableHWIntrinsic=0 (scalar) to compare the paths.
/// <code>dotnet run -c Release --project tests/MLNet.KnnLinear.Benchmarks -- kernel-path [rows] [queries]</code>
/// </summary>
public static class KernelPathRun
{
    public static int Run(string[] args)
    {
        int rows = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
        int queries = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 500;
        const int d = 3072;
        var ml = new MLContext(seed: 1);
        var model = ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 1, distance: KnnDistance.L1).Fit(View(ml, BenchmarkData.Pixels(rows, d, 1), rows, d));
        var test = ml.Data.Cache(View(ml, BenchmarkData.Pixels(queries, d, 2), queries, d));
        double best = double.MaxValue;
        for (int pass = 0; pass < 4; pass++)
        {
            var watch = Stopwatch.StartNew();
            var scored = model.Transform(test);
            using var cursor = scored.GetRowCursor([scored.Schema["Score"]]);
            var getter = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
            VBuffer<float> score = default;
            while (cursor.MoveNext())
            {
                getter(ref score);
            }

            if (pass > 0)
            {
                best = Math.Min(best, watch.Elapsed.TotalSeconds);
            }
        }

        Console.WriteLine($"kNN L1, {rows:N0} rows × {d}, {queries} queries through Transform: {best:F3} s (best of 3 after a warm-up); SAD path {SadTile.Path}; {Environment.ProcessorCount} cores");
        return 0;
    }

    private static IDataView View(MLContext ml, float[] pixels, int rows, int d)
    {
        var data = Enumerable.Range(0, rows).Select(i => new Row { Label = i % 10, Features = pixels.AsSpan(i * d, d).ToArray() });
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        var view = ml.Data.LoadFromEnumerable(data, schema);
        return ml.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);
    }

    private sealed class Row
    {
        public int Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
