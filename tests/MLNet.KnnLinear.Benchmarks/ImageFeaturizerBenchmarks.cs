using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Imaging;

namespace MLNet.KnnLinear.Benchmarks;

/// <summary>
/// The featurizers on 32 × 32 colour images: one image on one thread (the figure to put beside OpenCV's
/// HOGDescriptor and scikit-image's hog, reference/hog_reference_timing.py), and Transform over as many images as the
/// shared CIFAR-10 copy holds (9,085) through ML.NET, which spreads blocks of rows over the cores.
/// </summary>
[MemoryDiagnoser]
public class ImageFeaturizerBenchmarks
{
    private const int Side = 32;

    private float[] _planes = null!;
    private float[] _output = null!;
    private HogDescriptor _hog = null!;
    private HogDescriptor.Scratch _scratch = null!;
    private ColorHistogram _hue = null!;
    private MLContext _ml = null!;
    private IDataView _images = null!;
    private ITransformer _featurizer = null!;

    [Params(HogVoting.Hard, HogVoting.Trilinear)]
    public HogVoting Voting { get; set; }

    public static int Images => BenchmarkData.Smoke ? 50 : 9085;

    [GlobalSetup]
    public void Setup()
    {
        var pixels = BenchmarkData.Pixels(Images, 3 * Side * Side, seed: 1);
        _planes = pixels.AsSpan(0, 3 * Side * Side).ToArray();
        var options = new HogFeaturesEstimator.Options { OutputColumnName = "Hog", InputColumnName = "Pixels", Voting = Voting };
        var parameters = options.ToParameters();
        _hog = new HogDescriptor(parameters, parameters.GeometryFor(Side, Side, "Pixels"), 3);
        _scratch = _hog.CreateScratch();
        _output = new float[_hog.Length];
        _hue = new ColorHistogram(new ColorHistogramParameters(ColorHistogramChannels.Hue, 10, false, 255), Side * Side, 3);

        _ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, Images).Select(i => new Row { Pixels = pixels.AsSpan(i * 3 * Side * Side, 3 * Side * Side).ToArray().Select(v => (byte)v).ToArray() });
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Byte, 3 * Side * Side);
        _images = _ml.Data.Cache(_ml.Data.LoadFromEnumerable(rows, schema));
        _featurizer = _ml.Transforms.ExtractHogFeatures(options)
            .Append(_ml.Transforms.ExtractColorHistogram("Hue", "Pixels"))
            .Fit(_images);
    }

    /// <summary>HoG (324 values) of one 32 × 32 RGB image, single thread, gradients of the strongest channel.</summary>
    [Benchmark]
    public void HogOneImage() => _hog.Compute(_planes, _output, _scratch);

    /// <summary>The 10-bin hue histogram of one image (CS231n), single thread.</summary>
    [Benchmark]
    public void HueHistogramOneImage() => _hue.Compute(_planes, _output);

    /// <summary>HoG + hue histogram of every image through ML.NET's Transform (all cores), every value read.</summary>
    [Benchmark]
    public long TransformAllImages()
    {
        var output = _featurizer.Transform(_images);
        using var cursor = output.GetRowCursor([output.Schema["Hog"], output.Schema["Hue"]]);
        var hog = cursor.GetGetter<VBuffer<float>>(output.Schema["Hog"]);
        var hue = cursor.GetGetter<VBuffer<float>>(output.Schema["Hue"]);
        VBuffer<float> a = default, b = default;
        long rows = 0;
        while (cursor.MoveNext())
        {
            hog(ref a);
            hue(ref b);
            rows++;
        }

        return rows;
    }

    private sealed class Row
    {
        public byte[] Pixels { get; set; } = [];
    }
}
