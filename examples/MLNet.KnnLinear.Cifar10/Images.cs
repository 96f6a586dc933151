using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Cifar10;

/// <summary>Flat image arrays as an ML.NET data view: Features (3,072 floats) and Label (key over classes 0..9 in order).</summary>
internal static class Images
{
    public static IDataView ToDataView(MLContext ml, float[] pixels, int[] labels)
    {
        var rows = labels.Select((label, i) => new ImageRow { Label = label, Features = pixels.AsSpan(i * CifarFiles.PixelCount, CifarFiles.PixelCount).ToArray() }).ToList();
        var schema = SchemaDefinition.Create(typeof(ImageRow));
        schema[nameof(ImageRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, CifarFiles.PixelCount);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var classes = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(c => new LabelOnly { Label = c }));
        return ml.Transforms.Conversion.MapValueToKey("Label", keyData: classes).Fit(data).Transform(data);
    }

    private sealed class ImageRow
    {
        public int Label { get; set; }

        public float[] Features { get; set; } = [];
    }

    private sealed class LabelOnly
    {
        public int Label { get; set; }
    }
}
