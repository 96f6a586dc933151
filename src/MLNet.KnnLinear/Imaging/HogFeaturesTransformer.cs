using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Imaging;
using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear;

/// <summary>
/// Appends HoG features of an image column or pixel vector (see <see cref="HogFeaturesEstimator"/> for the definition
/// and output size). Saved and loaded with <c>mlContext.Model.Save</c> / <c>Load</c>.
/// </summary>
public sealed class HogFeaturesTransformer : ImageFeaturizerTransformer, IPersistentTransformer<HogFeaturesTransformer>
{
    internal const string LoaderSignature = "HogFeaturesTransformer";
    private const int StateVersion = 2;

    private readonly HogParameters _parameters;

    internal HogFeaturesTransformer(ImageSource source, string outputColumnName, HogParameters parameters, int? threads)
        : base(source, outputColumnName, threads)
        => _parameters = parameters;

    static PersistenceInfo IPersistentTransformer<HogFeaturesTransformer>.Persistence { get; } = new(LoaderSignature, "HOGFEATR", StateVersion);

    static HogFeaturesTransformer IPersistentTransformer<HogFeaturesTransformer>.ReadState(ModelStateReader reader, int version)
    {
        var (source, output) = ReadCommonState(reader, version);
        return new HogFeaturesTransformer(source, output, HogParameters.Read(reader), threads: null);
    }

    void IPersistentTransformer<HogFeaturesTransformer>.WriteState(BinaryWriter writer)
    {
        WriteCommonState(writer);
        _parameters.Write(writer);
    }

    /// <summary>
    /// The cell histograms (before block normalisation) of the image in row <paramref name="row"/> of
    /// <paramref name="data"/>: what the glyph picture of <c>SaveVisualization</c> (package
    /// MLNet.KnnLinear.Visualization) draws. Hard voting is used whatever this transformer's voting, as scikit-image does.
    /// </summary>
    /// <param name="data">Data with this transformer's input column.</param>
    /// <param name="row">The row (0-based).</param>
    /// <exception cref="ArgumentOutOfRangeException">The data has fewer rows.</exception>
    public HogCellHistograms GetCellHistograms(IDataView data, long row)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        var input = Source.Bind(data.Schema) with { MinPixel = MinPixel };
        var descriptor = new HogDescriptor(_parameters, _parameters.GeometryFor(input.Height, input.Width, input.Column.Name), input.Channels);
        var image = new ImageStore(input);
        image.Reserve(1);
        using (var cursor = data.GetRowCursor([input.Column]))
        {
            var reader = input.CreateReader(cursor);
            for (long i = 0; i <= row; i++)
            {
                if (!cursor.MoveNext())
                {
                    throw new ArgumentOutOfRangeException(nameof(row), row, $"The data has only {i} rows.");
                }
            }

            reader.Read(image, 0);
        }

        var geometry = descriptor.Geometry;
        return new HogCellHistograms(descriptor.CellHistograms(image.Image(0)), geometry.CellsDown, geometry.CellsAcross, _parameters.Orientations, _parameters.CellHeight, _parameters.CellWidth, _parameters.SignedGradients);
    }

    /// <summary>With square-root compression a negative pixel would give NaN features, so it is refused instead.</summary>
    private protected override float MinPixel => _parameters.SqrtCompression ? 0f : base.MinPixel;

    private protected override (int Length, Func<ImageFeatureFunction> CreateWorker) Compile(ImageColumn input)
    {
        var descriptor = new HogDescriptor(_parameters, _parameters.GeometryFor(input.Height, input.Width, input.Column.Name), input.Channels);
        return (descriptor.Length, () =>
        {
            var scratch = descriptor.CreateScratch();
            return (in PixelPlanes image, Span<float> output) => descriptor.Compute(image, output, scratch);
        });
    }

    private protected override ImageOnnxExport OnnxExport() => new HogOnnxExport(_parameters);

    private protected override void SaveModel(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this);
}
