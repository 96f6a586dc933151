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
public sealed class HogFeaturesTransformer : RowMappingTransformer, IPersistentTransformer<HogFeaturesTransformer>
{
    internal const string LoaderSignature = "HogFeaturesTransformer";
    private const int StateVersion = 1;

    private readonly ImageSource _source;
    private readonly HogParameters _parameters;
    private readonly int? _threads;

    internal HogFeaturesTransformer(ImageSource source, string outputColumnName, HogParameters parameters, int? threads)
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

    static PersistenceInfo IPersistentTransformer<HogFeaturesTransformer>.Persistence { get; } = new(LoaderSignature, "HOGFEATR", StateVersion);

    static HogFeaturesTransformer IPersistentTransformer<HogFeaturesTransformer>.ReadState(ModelStateReader reader, int version)
    {
        var source = ImageSource.Read(reader);
        string output = reader.ReadString("output column");
        var parameters = HogParameters.Read(reader);
        int threads = reader.ReadInt32("number of threads", 0);
        return new HogFeaturesTransformer(source, output, parameters, threads == 0 ? null : threads);
    }

    void IPersistentTransformer<HogFeaturesTransformer>.WriteState(BinaryWriter writer)
    {
        _source.Write(writer);
        writer.WriteUtf8(OutputColumnName);
        _parameters.Write(writer);
        writer.Write(_threads ?? 0);
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
        var input = _source.Bind(data.Schema);
        var descriptor = new HogDescriptor(_parameters, _parameters.GeometryFor(input.Height, input.Width, input.Column.Name), input.Channels);
        var planes = new float[input.Length];
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

            reader.Read(planes);
        }

        HogVisualization.Save(path, descriptor.CellHistograms(planes), _parameters, descriptor.Geometry, scale);
    }

    private protected override RowMapping Bind(DataViewSchema inputSchema)
    {
        var input = _source.Bind(inputSchema);
        var descriptor = new HogDescriptor(_parameters, _parameters.GeometryFor(input.Height, input.Width, input.Column.Name), input.Channels);
        return new ImageFeatureRowMapping(inputSchema, input, OutputColumnName, descriptor.Length, () =>
        {
            var scratch = descriptor.CreateScratch();
            return (planes, output) => descriptor.Compute(planes, output, scratch);
        }, _threads);
    }

    private protected override void SaveModel(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this);
}
