using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Imaging;

namespace MLNet.KnnLinear.Benchmarks;

/// <summary>
/// HoG by image size, one thread, per image: the kernel on the stored bytes, and the same images through ML.NET's
/// <c>Transform</c> (NumberOfThreads = 1, every value read), so the pipeline's overhead is the ratio of the two in
/// one run. Put beside reference/hog_size_timing.py (OpenCV's HOGDescriptor and scikit-image's hog on the same
/// sizes, same seed). Parameters: 8 × 8 cells, 2 × 2 blocks, stride one cell, 9 orientations, L2Hys, colour.
/// </summary>
[MemoryDiagnoser]
public class HogImageSizeBenchmarks
{
    private byte[] _pixels = null!;
    private byte[] _all = null!;
    private float[] _output = null!;
    private HogDescriptor _hog = null!;
    private HogDescriptor.Scratch _scratch = null!;
    private IDataView _images = null!;
    private ITransformer _featurizer = null!;

    /// <summary>Height × width.</summary>
    [ParamsSource(nameof(Sizes))]
    public string Size { get; set; } = "32x32";

    [Params(HogVoting.Hard, HogVoting.Trilinear)]
    public HogVoting Voting { get; set; }

    public static IEnumerable<string> Sizes => BenchmarkData.Smoke ? ["32x32"]
        : Environment.GetEnvironmentVariable("KNNLINEAR_BENCH_SIZES")?.Split(',') ?? ["32x32", "480x640", "1080x1920"];

    /// <summary>Images per Transform: about 2 M pixels, so each size does comparable work.</summary>
    public int Images => Math.Max(2, (1 << 21) / (Height * Width));

    private int Height => int.Parse(Size.Split('x')[0], System.Globalization.CultureInfo.InvariantCulture);

    private int Width => int.Parse(Size.Split('x')[1], System.Globalization.CultureInfo.InvariantCulture);

    [GlobalSetup]
    public void Setup()
    {
        int length = 3 * Height * Width;
        var random = new Random(1);
        var all = new byte[(long)Images * length];
        random.NextBytes(all);
        _pixels = all.AsSpan(0, length).ToArray();
        _all = all;
        var options = new HogFeaturesEstimator.Options { OutputColumnName = "Hog", InputColumnName = "Pixels", ImageHeight = Height, ImageWidth = Width, Voting = Voting, NumberOfThreads = 1 };
        var parameters = options.ToParameters();
        _hog = new HogDescriptor(parameters, parameters.GeometryFor(Height, Width, "Pixels"), 3);
        _scratch = _hog.CreateScratch();
        _output = new float[_hog.Length];

        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, Images).Select(i => new Row { Pixels = all.AsSpan(i * length, length).ToArray() }).ToArray();
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Byte, length);
        _images = ml.Data.LoadFromEnumerable(rows, schema);
        _featurizer = ml.Transforms.ExtractHogFeatures(options).Fit(_images);
    }

    /// <summary>The kernel on one image's planar bytes, one thread.</summary>
    [Benchmark(Baseline = true)]
    public void KernelPerImage() => _hog.Compute(new PixelPlanes(_pixels, 3, Height, Width), _output, _scratch);

    /// <summary>Transform of <see cref="Images"/> images on one thread, every HoG value read (divide by Images for per image: 2,048, 6 and 2).</summary>
    [Benchmark]
    public long TransformAllImages()
    {
        var output = _featurizer.Transform(_images);
        using var cursor = output.GetRowCursor([output.Schema["Hog"]]);
        var hog = cursor.GetGetter<VBuffer<float>>(output.Schema["Hog"]);
        VBuffer<float> value = default;
        long rows = 0;
        while (cursor.MoveNext())
        {
            hog(ref value);
            rows++;
        }

        return rows;
    }

    /// <summary>The kernel over every image in turn (no ML.NET), one thread: what the Transform would cost with no overhead.</summary>
    [Benchmark]
    public void KernelAllImages()
    {
        int length = 3 * Height * Width;
        for (int i = 0; i < Images; i++)
        {
            _hog.Compute(new PixelPlanes(_all.AsSpan(i * length, length), 3, Height, Width), _output, _scratch);
        }
    }

    /// <summary>The anchor: one bare cursor pass over the same pixel column, every vector read (what any consumer pays).</summary>
    [Benchmark]
    public long SourcePassAllImages()
    {
        using var cursor = _images.GetRowCursor([_images.Schema["Pixels"]]);
        var pixels = cursor.GetGetter<VBuffer<byte>>(_images.Schema["Pixels"]);
        VBuffer<byte> value = default;
        long rows = 0;
        while (cursor.MoveNext())
        {
            pixels(ref value);
            rows++;
        }

        return rows;
    }

    /// <summary>One image's pixels (also <see cref="HogSizeRun"/>'s rows).</summary>
    internal sealed class Row
    {
        public byte[] Pixels { get; set; } = [];
    }
}
