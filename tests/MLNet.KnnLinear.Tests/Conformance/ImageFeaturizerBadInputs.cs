using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Conformance;

/// <summary>
/// The malformed inputs every image featurizer must reject, for a featurizer bound to a <c>Pixels</c> column of
/// planar RGB bytes of <paramref name="size"/> × <paramref name="size"/>.
/// </summary>
public sealed class ImageFeaturizerBadInputs(int size)
{
    /// <summary>Rejected by Fit and by Transform alike: the column is checked whenever the featurizer is bound.</summary>
    public IEnumerable<BadInput> Both =>
    [
        new("pixels missing", ml => ml.Transforms.DropColumns("Pixels").Fit(Data(ml, size)).Transform(Data(ml, size)), typeof(ArgumentOutOfRangeException), "'Pixels'", "not found"),
        new("pixels as text", ml => ml.Data.LoadFromEnumerable([new TextPixels()]), typeof(ArgumentOutOfRangeException), "'Pixels'", "MLImage", "Byte or Single"),
        new("pixels as Double vector", ml => ml.Transforms.Conversion.ConvertType("Pixels", outputKind: DataKind.Double).Fit(Data(ml, size)).Transform(Data(ml, size)), typeof(ArgumentOutOfRangeException), "'Pixels'", "Byte or Single"),
        new("vector of another image size", ml => Data(ml, size + 2), typeof(ArgumentOutOfRangeException), "'Pixels'", $"{3 * (size + 2) * (size + 2)}", $"{size} × {size}"),
    ];

    /// <summary>Values only a read can find.</summary>
    public IEnumerable<BadInput> WhileReading =>
    [
        new("NaN pixel", ml => SinglePixels(ml, float.NaN), typeof(InvalidOperationException), "'Pixels'", "NaN"),
        new("infinite pixel", ml => SinglePixels(ml, float.NegativeInfinity), typeof(InvalidOperationException), "'Pixels'", "Infinity"),
        new("pixel of 3e38", ml => SinglePixels(ml, 3e38f), typeof(InvalidOperationException), "'Pixels'", "3E+38", "1e9"),
    ];

    public static IDataView Data(MLContext ml, int size, int rows = 6, int seed = 1)
        => ImageData.ToDataView(ml, ImageData.Rows(rows, size, size, seed), 3 * size * size);

    private IDataView SinglePixels(MLContext ml, float value)
    {
        var data = ml.Transforms.Conversion.ConvertType("Pixels", outputKind: DataKind.Single).Fit(Data(ml, size)).Transform(Data(ml, size));
        var rows = ml.Data.CreateEnumerable<SingleRow>(data, reuseRowObject: false).ToList();
        rows[^1].Pixels[5] = value;
        var schema = SchemaDefinition.Create(typeof(SingleRow));
        schema[nameof(SingleRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3 * size * size);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private sealed class TextPixels
    {
        public string Pixels { get; set; } = "not an image";
    }

    private sealed class SingleRow
    {
        public string Label { get; set; } = string.Empty;

        public float[] Pixels { get; set; } = [];
    }
}
