using Microsoft.ML;
using MLNet.KnnLinear.Imaging;
using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear;

/// <summary>
/// Appends colour histogram features of an image column or pixel vector (see <see cref="ColorHistogramEstimator"/>).
/// Saved and loaded with <c>mlContext.Model.Save</c> / <c>Load</c>.
/// </summary>
public sealed class ColorHistogramTransformer : ImageFeaturizerTransformer, IPersistentTransformer<ColorHistogramTransformer>
{
    internal const string LoaderSignature = "ColorHistogramTransform";
    private const int StateVersion = 2;

    private readonly ColorHistogramParameters _parameters;

    internal ColorHistogramTransformer(ImageSource source, string outputColumnName, ColorHistogramParameters parameters, int? threads)
        : base(source, outputColumnName, threads)
        => _parameters = parameters;

    static PersistenceInfo IPersistentTransformer<ColorHistogramTransformer>.Persistence { get; } = new(LoaderSignature, "COLRHIST", StateVersion);

    static ColorHistogramTransformer IPersistentTransformer<ColorHistogramTransformer>.ReadState(ModelStateReader reader, int version)
    {
        var (source, output) = ReadCommonState(reader, version);
        return new ColorHistogramTransformer(source, output, ColorHistogramParameters.Read(reader), threads: null);
    }

    void IPersistentTransformer<ColorHistogramTransformer>.WriteState(BinaryWriter writer)
    {
        WriteCommonState(writer);
        _parameters.Write(writer);
    }

    private protected override (int Length, Func<ImageFeatureFunction> CreateWorker) Compile(ImageColumn input)
    {
        var histogram = new ColorHistogram(_parameters, input.PlaneLength, input.Channels);
        return (histogram.Length, () => histogram.CreateWorker());
    }

    private protected override ImageOnnxExport OnnxExport() => new ColorHistogramOnnxExport(_parameters);

    private protected override void SaveModel(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this);
}
