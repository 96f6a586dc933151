using Microsoft.ML;
using MLNet.KnnLinear.Imaging;
using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear;

/// <summary>
/// Appends colour histogram features of an image column or pixel vector (see <see cref="ColorHistogramEstimator"/>).
/// Saved and loaded with <c>mlContext.Model.Save</c> / <c>Load</c>.
/// </summary>
public sealed class ColorHistogramTransformer : RowMappingTransformer, IPersistentTransformer<ColorHistogramTransformer>
{
    internal const string LoaderSignature = "ColorHistogramTransform";
    private const int StateVersion = 1;

    private readonly ImageSource _source;
    private readonly ColorHistogramParameters _parameters;
    private readonly int? _threads;

    internal ColorHistogramTransformer(ImageSource source, string outputColumnName, ColorHistogramParameters parameters, int? threads)
    {
        _source = source;
        OutputColumnName = outputColumnName;
        _parameters = parameters;
        _threads = threads;
    }

    /// <summary>The image or pixel-vector column read.</summary>
    public string InputColumnName => _source.Column;

    /// <summary>The appended feature column.</summary>
    public string OutputColumnName { get; }

    static PersistenceInfo IPersistentTransformer<ColorHistogramTransformer>.Persistence { get; } = new(LoaderSignature, "COLRHIST", StateVersion);

    static ColorHistogramTransformer IPersistentTransformer<ColorHistogramTransformer>.ReadState(ModelStateReader reader, int version)
    {
        var source = ImageSource.Read(reader);
        string output = reader.ReadString("output column");
        var parameters = ColorHistogramParameters.Read(reader);
        int threads = reader.ReadInt32("number of threads", 0);
        return new ColorHistogramTransformer(source, output, parameters, threads == 0 ? null : threads);
    }

    void IPersistentTransformer<ColorHistogramTransformer>.WriteState(BinaryWriter writer)
    {
        _source.Write(writer);
        writer.WriteUtf8(OutputColumnName);
        _parameters.Write(writer);
        writer.Write(_threads ?? 0);
    }

    private protected override RowMapping Bind(DataViewSchema inputSchema)
    {
        var input = _source.Bind(inputSchema);
        var histogram = new ColorHistogram(_parameters, input.PlaneLength, input.Channels);
        return new ImageFeatureRowMapping(inputSchema, input, OutputColumnName, histogram.Length, () => histogram.Compute, _threads);
    }

    private protected override void SaveModel(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this);
}
