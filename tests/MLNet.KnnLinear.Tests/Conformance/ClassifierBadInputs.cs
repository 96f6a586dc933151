using Microsoft.ML;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Conformance;

/// <summary>
/// The malformed inputs every multiclass trainer of this library must reject, on the synthetic data of
/// <see cref="SyntheticData"/> with a <c>Label</c> and a <c>Features</c> column of <paramref name="dimension"/> slots.
/// </summary>
public sealed class ClassifierBadInputs(int dimension, Func<MLContext, IDataView> train, Func<MLContext, IDataView> test)
{
    public IEnumerable<BadInput> Fit =>
    [
        new("label not a key", ml => SyntheticData.ToDataView(ml, SyntheticData.Rows(10, dimension, 1), dimension), typeof(ArgumentOutOfRangeException), "'Label'", "MapValueToKey"),
        new("features missing", ml => ml.Transforms.DropColumns("Features").Fit(train(ml)).Transform(train(ml)), typeof(ArgumentOutOfRangeException), "'Features'", "not found"),
        new("features not Single", ml => ml.Transforms.Conversion.ConvertType("Features", outputKind: Microsoft.ML.Data.DataKind.Double).Fit(train(ml)).Transform(train(ml)), typeof(ArgumentOutOfRangeException), "'Features'", "vector of Single"),
        new("empty data", ml => SyntheticData.Keyed(ml, [], dimension), typeof(InvalidOperationException), "no rows"),
        new("NaN feature", ml => Keyed(ml, float.NaN), typeof(InvalidOperationException), "'Features'", "NaN"),
        new("infinite feature", ml => Keyed(ml, float.PositiveInfinity), typeof(InvalidOperationException), "'Features'", "Infinity"),
        new("feature of magnitude 1e30", ml => Keyed(ml, -1e30f), typeof(InvalidOperationException), "'Features'", "-1E+30", "±1e15"),
    ];

    public IEnumerable<BadInput> Transform =>
    [
        new("features missing", ml => ml.Transforms.DropColumns("Features").Fit(test(ml)).Transform(test(ml)), typeof(ArgumentOutOfRangeException), "'Features'", "not found"),
        new("feature vector of another size", ml => SyntheticData.Keyed(ml, SyntheticData.Rows(5, dimension + 1, 1), dimension + 1), typeof(ArgumentOutOfRangeException), "'Features'", $"{dimension + 1}", $"{dimension}"),
        new("NaN feature", ml => Keyed(ml, float.NaN), typeof(InvalidOperationException), "'Features'", "NaN"),
        new("infinite feature", ml => Keyed(ml, float.PositiveInfinity), typeof(InvalidOperationException), "'Features'", "Infinity"),
        new("feature of magnitude 1e30", ml => Keyed(ml, 1e30f), typeof(InvalidOperationException), "'Features'", "1E+30", "±1e15"),
    ];

    /// <summary>Ten rows, the last holding <paramref name="value"/> in one feature.</summary>
    private IDataView Keyed(MLContext ml, float value)
    {
        var rows = SyntheticData.Rows(10, dimension, 1);
        rows[^1].Features[dimension / 2] = value;
        return SyntheticData.Keyed(ml, rows, dimension);
    }
}
