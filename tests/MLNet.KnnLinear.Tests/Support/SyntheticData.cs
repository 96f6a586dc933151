using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Tests.Support;

/// <summary>A labelled row: a text label and a feature vector whose length is set at run time.</summary>
public sealed class LabelledRow
{
    public string Label { get; set; } = string.Empty;

    public float[] Features { get; set; } = [];
}

/// <summary>Small seeded data sets for tests.</summary>
public static class SyntheticData
{
    public static readonly string[] ClassNames = ["ant", "bee", "cat", "dog"];

    /// <summary>
    /// <paramref name="rows"/> rows of <paramref name="dimension"/> whole-number features in [0, <paramref name="range"/>),
    /// the class mean shifted per class so the classes are learnable. Whole numbers keep float sums exact, so fast
    /// kernels and scalar references agree bit for bit.
    /// </summary>
    public static LabelledRow[] Rows(int rows, int dimension, int seed, int classes = 4, int range = 16, float scale = 1f)
    {
        var random = new Random(seed);
        var result = new LabelledRow[rows];
        for (int i = 0; i < rows; i++)
        {
            int c = random.Next(classes);
            var features = new float[dimension];
            for (int j = 0; j < dimension; j++)
            {
                features[j] = (random.Next(range) + (j % classes == c ? range / 2 : 0)) * scale;
            }

            result[i] = new LabelledRow { Label = ClassNames[c], Features = features };
        }

        return result;
    }

    /// <summary>A data view of <paramref name="rows"/>, with a Features column of known size.</summary>
    public static IDataView ToDataView(MLContext ml, IEnumerable<LabelledRow> rows, int dimension)
    {
        var schema = SchemaDefinition.Create(typeof(LabelledRow));
        schema[nameof(LabelledRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>The same, with the label mapped to a key whose values are the class names in <see cref="ClassNames"/> order.</summary>
    public static IDataView Keyed(MLContext ml, IEnumerable<LabelledRow> rows, int dimension)
    {
        var data = ToDataView(ml, rows, dimension);
        return LabelToKey(ml).Fit(data).Transform(data);
    }

    /// <summary>MapValueToKey over the fixed class names, so every subset has the same key type.</summary>
    public static IEstimator<ITransformer> LabelToKey(MLContext ml)
    {
        return ml.Transforms.Conversion.MapValueToKey("Label", keyData: ml.Data.LoadFromEnumerable(ClassNames.Select(n => new KeyRow { Key = n })));
    }

    private sealed class KeyRow
    {
        public string Key { get; set; } = string.Empty;
    }
}
