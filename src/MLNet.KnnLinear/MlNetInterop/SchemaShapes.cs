using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.MlNetInterop;

/// <summary>
/// Builds <see cref="SchemaShape.Column"/>s for <c>IEstimator.GetOutputSchema</c>: their constructor is internal.
/// </summary>
internal static class SchemaShapes
{
    public static SchemaShape.Column Scalar(string name, DataViewType itemType, bool isKey = false, params SchemaShape.Column[] annotations)
        => new(name, SchemaShape.Column.VectorKind.Scalar, itemType, isKey, annotations.Length == 0 ? null : new SchemaShape(annotations));

    public static SchemaShape.Column Vector(string name, DataViewType itemType, bool isKey = false, params SchemaShape.Column[] annotations)
        => new(name, SchemaShape.Column.VectorKind.Vector, itemType, isKey, annotations.Length == 0 ? null : new SchemaShape(annotations));

    /// <summary>The shape of a schema (SchemaShape.Create is internal), e.g. to check an estimator's promise.</summary>
    public static SchemaShape FromSchema(DataViewSchema schema) => SchemaShape.Create(schema);

    /// <summary>Annotation shapes copied from an input column's annotation shape (null: none).</summary>
    public static SchemaShape.Column[] AnnotationsOf(SchemaShape.Column column, params string[] kinds)
        => column.Annotations is null
            ? []
            : column.Annotations.Where(a => kinds.Contains(a.Name)).ToArray();

    /// <summary>
    /// The input schema plus a multiclass trainer's <c>Score</c> (vector of Single, slot names when the label's key
    /// values are text) and <c>PredictedLabel</c> (key carrying the label's key values).
    /// </summary>
    public static SchemaShape AppendPredictionColumns(SchemaShape input, SchemaShape.Column label)
    {
        var keyValues = AnnotationsOf(label, "KeyValues");
        var slotNames = keyValues.Where(k => k.ItemType is TextDataViewType).Select(k => Vector("SlotNames", k.ItemType)).ToArray();
        return Append(
            input,
            Vector("Score", NumberDataViewType.Single, false, slotNames),
            Scalar("PredictedLabel", NumberDataViewType.UInt32, true, keyValues));
    }

    /// <summary>The input schema with <paramref name="added"/> appended, hiding input columns of the same names.</summary>
    public static SchemaShape Append(SchemaShape input, params SchemaShape.Column[] added)
    {
        var columns = input.ToDictionary(c => c.Name);
        foreach (var column in added)
        {
            columns[column.Name] = column;
        }

        return new SchemaShape(columns.Values);
    }
}
