using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Benchmarks;

/// <summary>
/// Prediction engines sharing the library's workers: a kNN model over 20,000 CIFAR-shaped rows (3,072 pixel values),
/// saved and loaded as a service would, answers 1,000 one-row queries (1) through one <c>PredictionEngine</c> whose
/// searches use every core, (2) through 2 and 4 engines on as many caller threads, at the default parallelism and at
/// <see cref="KnnLinearParallelism.MaxDegreeOfParallelism"/> = 1. Throughput is queries per second of wall time over
/// all engines, each line the best of 3 passes after a warm-up pass; every line's predictions must equal (1)'s bits.
/// A stopwatch harness (several engines on several threads is not a BenchmarkDotNet shape).
/// <code>dotnet run -c Release --project tests/MLNet.KnnLinear.Benchmarks -- engines [rows] [queries]</code>
/// </summary>
public static class ConcurrentEnginesRun
{
    private const int Dimension = 3072;

    public static int Run(string[] args)
    {
        int rows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
        int queryCount = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000;
        Console.WriteLine($"kNN (k = 5) over {rows:N0} rows × {Dimension}, {queryCount:N0} one-row queries; {Environment.ProcessorCount} cores; {ProcessorName()}");
        foreach (var distance in new[] { KnnDistance.L2, KnnDistance.L1 })
        {
            var ml = new MLContext(seed: 1);
            var model = LoadedModel(ml, rows, distance);
            var queries = Rows(queryCount, seed: 2);
            var reference = Measure(ml, model, queries, engines: 1, out _);
            Console.WriteLine($"{distance}: 1 engine, every core: {reference.PerSecond,8:F1} q/s");
            foreach (var (engines, threads) in new[] { (2, 0), (4, 0), (4, 1) })
            {
                int before = KnnLinearParallelism.MaxDegreeOfParallelism;
                if (threads > 0)
                {
                    KnnLinearParallelism.MaxDegreeOfParallelism = threads;
                }

                try
                {
                    var result = Measure(ml, model, queries, engines, out int threadGrowth);
                    bool same = result.Predictions.Zip(reference.Predictions).All(p => p.First.Label == p.Second.Label && p.First.Score.AsSpan().SequenceEqual(p.Second.Score));
                    string setting = threads > 0 ? $"MaxDegreeOfParallelism = {threads}" : "default parallelism";
                    Console.WriteLine($"{distance}: {engines} engines, {setting,-26}: {result.PerSecond,8:F1} q/s = {result.PerSecond / reference.PerSecond:F2}× one engine; predictions {(same ? "bit-identical" : "DIFFER")}; process threads +{threadGrowth}");
                    if (!same)
                    {
                        return 1;
                    }
                }
                finally
                {
                    KnnLinearParallelism.MaxDegreeOfParallelism = before;
                }
            }
        }

        return 0;
    }

    private static ITransformer LoadedModel(MLContext ml, int rows, KnnDistance distance)
    {
        var train = ml.Data.LoadFromEnumerable(Rows(rows, seed: 1), Schema());
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: 5, distance: distance));
        var model = pipeline.Fit(train);
        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        stream.Position = 0;
        return ml.Model.Load(stream, out _);
    }

    private static (double PerSecond, Prediction[] Predictions) Measure(MLContext ml, ITransformer model, Row[] queries, int engines, out int threadGrowth)
    {
        var predictions = new Prediction[queries.Length];
        var pool = Enumerable.Range(0, engines).Select(_ => ml.Model.CreatePredictionEngine<Row, Prediction>(model, inputSchemaDefinition: Schema())).ToArray();
        void Pass()
        {
            var threads = Enumerable.Range(0, engines).Select(e => new Thread(() =>
            {
                for (int i = e; i < queries.Length; i += engines)
                {
                    var p = pool[e].Predict(queries[i]);
                    predictions[i] = new Prediction { Label = p.Label, Score = [.. p.Score] };
                }
            })).ToArray();
            foreach (var t in threads)
            {
                t.Start();
            }

            foreach (var t in threads)
            {
                t.Join();
            }
        }

        Pass();
        int threadsBefore = Process.GetCurrentProcess().Threads.Count;
        double best = double.MaxValue;
        for (int pass = 0; pass < 3; pass++)
        {
            var watch = Stopwatch.StartNew();
            Pass();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        threadGrowth = Process.GetCurrentProcess().Threads.Count - threadsBefore;
        return (queries.Length / best, predictions);
    }

    private static Row[] Rows(int count, int seed)
    {
        var pixels = BenchmarkData.Pixels(count, Dimension, seed);
        return Enumerable.Range(0, count).Select(i => new Row { Label = (i % 10).ToString(CultureInfo.InvariantCulture), Features = pixels.AsSpan(i * Dimension, Dimension).ToArray() }).ToArray();
    }

    private static SchemaDefinition Schema()
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Dimension);
        return schema;
    }

    private static string ProcessorName()
        => File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown" : "unknown";

    private sealed class Row
    {
        public string Label { get; set; } = string.Empty;

        public float[] Features { get; set; } = [];
    }

    private sealed class Prediction
    {
        [ColumnName("PredictedLabel")]
        public uint Label { get; set; }

        public float[] Score { get; set; } = [];
    }
}
