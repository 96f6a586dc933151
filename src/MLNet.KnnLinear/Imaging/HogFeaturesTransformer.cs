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
    /// Draws the HoG of the image in row <paramref name="row"/> of <paramref name="data"/> as scikit-image's
    /// <c>visualize=True</c> does: in each cell, one line per orientation bin through the cell centre, perpendicular to
    /// the bin's gradient direction (along the edge), as bright as the cell's (unnormalised) histogram value; written
    /// as a PNG <paramref name="scale"/> times the image size.
    /// </summary>
    /// <param name="data">Data with this transformer's input column.</param>
    /// <param name="row">The row (0-based) whose image is drawn.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="scale">Output pixels per image pixel (4 by default: a 32 × 32 image gives 128 × 128).</param>
    public void SaveVisualization(IDataView data, long row, string path, int scale = 4)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        var input = Source.Bind(data.Schema);
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

        HogVisualization.Save(path, descriptor.CellHistograms(image.Image(0)), _parameters, descriptor.Geometry, scale);
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

    private protected override void SaveModel(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this);
}
