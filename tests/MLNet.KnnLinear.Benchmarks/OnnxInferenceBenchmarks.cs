using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MLNet.KnnLinear.Benchmarks;

/// <summary>
/// ONNX Runtime scoring an exported pipeline beside ML.NET's own Transform of the same fitted pipeline, in one run:
/// 1,000 CIFAR-sized images (random pixels; the cost does not depend on them), every Score and PredictedLabel read.
/// Images per second = 1,000 / the time per operation. Both sides may use every core.
/// </summary>
[MemoryDiagnoser]
public class OnnxInferenceBenchmarks
{
    private const int Side = 32;
    private const int Length = 3 * Side * Side;

    private MLContext _ml = null!;
    private ITransformer _model = null!;
    private IDataView _test = null!;
    private InferenceSession _session = null!;
    private byte[] _queries = [];
    private int _queryCount;

    public enum Pipeline
    {
        /// <summary>Pixels → HoG (4 × 4 cells) + hue histogram → Concatenate → NormalizeMeanVariance → LinearClassifier.</summary>
        HogHueLinear,

        /// <summary>Pixels → Knn L2, k = 5, over the training rows.</summary>
        KnnL2,

        /// <summary>Pixels → Knn L1, k = 5 (the graph's difference tensor is about 1 MB per query at a time).</summary>
        KnnL1,
    }

    [Params(Pipeline.HogHueLinear, Pipeline.KnnL2, Pipeline.KnnL1)]
    public Pipeline Model { get; set; }

    /// <summary>Training rows (the kNN models' size): KNNLINEAR_BENCH_ROWS or 5,000.</summary>
    public static IEnumerable<int> RowCounts => BenchmarkData.RowCounts(5_000);

    [ParamsSource(nameof(RowCounts))]
    public int Rows { get; set; }

    private const int BatchSize = 100;

    [GlobalSetup]
    public void Setup()
    {
        _ml = new MLContext(seed: 1);
        var train = Images(Rows, seed: 1, labelled: true);
        _queryCount = BenchmarkData.Queries;
        _test = _ml.Data.Cache(Images(_queryCount, seed: 2, labelled: false));
        _model = Estimator().Fit(train);

        using var stream = new MemoryStream();
        _ml.Model.ConvertToOnnx(_model, _test, stream);
        using var options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount };
        _session = new InferenceSession(stream.ToArray(), options);
        _queries = BytesOf(_test);
    }

    [GlobalCleanup]
    public void Cleanup() => _session.Dispose();

    [Benchmark(Baseline = true)]
    public long MlNetTransform()
    {
        var scored = _model.Transform(_test);
        var score = scored.Schema["Score"];
        var label = scored.Schema["PredictedLabel"];
        using var cursor = scored.GetRowCursor([score, label]);
        var scores = cursor.GetGetter<VBuffer<float>>(score);
        var labels = cursor.GetGetter<uint>(label);
        VBuffer<float> s = default;
        uint l = 0;
        long sum = 0;
        while (cursor.MoveNext())
        {
            scores(ref s);
            labels(ref l);
            sum += l;
        }

        return sum;
    }

    [Benchmark]
    public long OnnxRuntime()
    {
        long sum = 0;
        for (int first = 0; first < _queryCount; first += BatchSize)
        {
            int count = Math.Min(BatchSize, _queryCount - first);
            var input = new DenseTensor<byte>(_queries.AsMemory(first * Length, count * Length), [count, Length]);
            using var results = _session.Run([NamedOnnxValue.CreateFromTensor("Pixels", input)]);
            foreach (var result in results)
            {
                if (result.Name == "PredictedLabel.output")
                {
                    foreach (uint l in result.AsTensor<uint>())
                    {
                        sum += l;
                    }
                }
            }
        }

        return sum;
    }

    private IEstimator<ITransformer> Estimator() => Model switch
    {
        Pipeline.HogHueLinear => _ml.Transforms.ExtractHogFeatures("Hog", "Pixels", cellSize: 4)
            .Append(_ml.Transforms.ExtractColorHistogram("Hue", "Pixels"))
            .Append(_ml.Transforms.Concatenate("Features", "Hog", "Hue"))
            .Append(_ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(_ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options { MaximumNumberOfIterations = 20 })),
        Pipeline.KnnL2 => _ml.MulticlassClassification.Trainers.Knn("Label", "Pixels", 5, KnnDistance.L2),
        _ => _ml.MulticlassClassification.Trainers.Knn("Label", "Pixels", 5, KnnDistance.L1),
    };

    /// <summary>Random 32 × 32 colour images as CIFAR's Pixels (Byte, planar); with a key Label when <paramref name="labelled"/>.</summary>
    private IDataView Images(int count, int seed, bool labelled)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(0, count).Select(i =>
        {
            var pixels = new byte[Length];
            random.NextBytes(pixels);
            return new Image { Label = (uint)(i % 10) + 1, Pixels = pixels };
        }).ToList();
        if (!labelled)
        {
            // Only Pixels: the exporter makes every column of the data a graph input.
            var pixelsOnly = SchemaDefinition.Create(typeof(Unlabelled));
            pixelsOnly[nameof(Unlabelled.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Byte, Length);
            return _ml.Data.LoadFromEnumerable(rows.Select(r => new Unlabelled { Pixels = r.Pixels }), pixelsOnly);
        }

        var schema = SchemaDefinition.Create(typeof(Image));
        schema[nameof(Image.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Byte, Length);
        schema[nameof(Image.Label)].ColumnType = new KeyDataViewType(typeof(uint), 10);
        return _ml.Data.LoadFromEnumerable(rows, schema);
    }

    private static byte[] BytesOf(IDataView data)
    {
        var all = new List<byte>();
        using var cursor = data.GetRowCursor([data.Schema["Pixels"]]);
        var getter = cursor.GetGetter<VBuffer<byte>>(data.Schema["Pixels"]);
        VBuffer<byte> buffer = default;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            all.AddRange(buffer.DenseValues());
        }

        return [.. all];
    }

    private sealed class Unlabelled
    {
        public byte[] Pixels { get; set; } = [];
    }

    private sealed class Image
    {
        public uint Label { get; set; }

        public byte[] Pixels { get; set; } = [];
    }
}
