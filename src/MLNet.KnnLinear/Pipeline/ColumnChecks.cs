using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// Input column validation shared by every component, with messages that name the column, what was expected and
/// what was found. Thrown as <see cref="ArgumentOutOfRangeException"/>, as ML.NET does for schema mismatches.
/// </summary>
internal static class ColumnChecks
{
    public static DataViewSchema.Column Require(DataViewSchema schema, string name, string role)
    {
        var column = schema.GetColumnOrNull(name);
        if (column is null)
        {
            string available = string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"));
            throw new ArgumentOutOfRangeException(nameof(schema), $"{role} column '{name}' was not found in the input. Available columns: {available}.");
        }

        return column.Value;
    }

    /// <summary>A known-size vector of Single with at least one slot; returns its size.</summary>
    public static int RequireFloatVector(DataViewSchema.Column column, string role)
    {
        if (column.Type is VectorDataViewType { ItemType: NumberDataViewType item, Size: > 0 } vector && item == NumberDataViewType.Single)
        {
            return vector.Size;
        }

        throw new ArgumentOutOfRangeException(nameof(column), $"{role} column '{column.Name}' must be a known-size vector of Single; found {column.Type}. Use Concatenate or ConvertType to build it.");
    }

    /// <summary>
    /// A known-size vector of Single, or of Byte when <paramref name="allowBytes"/> (raw pixels for kNN, stored as
    /// bytes with no float round trip); returns its size and whether it holds bytes.
    /// </summary>
    public static (int Size, bool Bytes) RequireFeatureVector(DataViewSchema.Column column, string role, bool allowBytes)
    {
        if (allowBytes && column.Type is VectorDataViewType { ItemType: NumberDataViewType item, Size: > 0 } vector && item == NumberDataViewType.Byte)
        {
            return (vector.Size, true);
        }

        if (!allowBytes)
        {
            return (RequireFloatVector(column, role), false);
        }

        if (column.Type is VectorDataViewType { ItemType: NumberDataViewType single, Size: > 0 } floats && single == NumberDataViewType.Single)
        {
            return (floats.Size, false);
        }

        throw new ArgumentOutOfRangeException(nameof(column), $"{role} column '{column.Name}' must be a known-size vector of Single or Byte; found {column.Type}. Use Concatenate or ConvertType to build it.");
    }

    /// <summary>A key type over UInt32 (what MapValueToKey produces); returns its cardinality.</summary>
    public static int RequireKey(DataViewSchema.Column column, string role)
    {
        if (column.Type is KeyDataViewType key && key.RawType == typeof(uint) && key.Count <= int.MaxValue)
        {
            return (int)key.Count;
        }

        throw new ArgumentOutOfRangeException(nameof(column), $"{role} column '{column.Name}' must be a key type (UInt32); found {column.Type}. Convert it with mlContext.Transforms.Conversion.MapValueToKey(\"{column.Name}\").");
    }

    /// <summary>A trainer's label (key) and feature (known-size Single vector, or Byte when <paramref name="allowByteFeatures"/>) columns, checked.</summary>
    public static (DataViewSchema.Column Label, DataViewSchema.Column Features) RequireLabelAndFeatures(DataViewSchema schema, string label, string features, bool allowByteFeatures = false)
    {
        var labelColumn = Require(schema, label, "Label");
        RequireKey(labelColumn, "Label");
        var featureColumn = Require(schema, features, "Feature");
        RequireFeatureVector(featureColumn, "Feature", allowByteFeatures);
        return (labelColumn, featureColumn);
    }

    /// <summary>The same on an estimator's schema shape; returns the label's shape (for its key values).</summary>
    public static SchemaShape.Column RequireLabelAndFeatures(SchemaShape schema, string label, string features, bool allowByteFeatures = false)
    {
        var labelColumn = Require(schema, label, "Label");
        RequireKey(labelColumn, "Label");
        var featureColumn = Require(schema, features, "Feature");
        if (!(allowByteFeatures && featureColumn.Kind == SchemaShape.Column.VectorKind.Vector && featureColumn.ItemType == NumberDataViewType.Byte && !featureColumn.IsKey))
        {
            RequireFloatVector(featureColumn, "Feature");
        }

        return labelColumn;
    }

    /// <summary>The same checks on an estimator's schema shape.</summary>
    public static SchemaShape.Column Require(SchemaShape schema, string name, string role)
    {
        // SchemaShape.TryFindColumn is internal; the shape is a public list of columns.
        var column = schema.FirstOrDefault(c => c.Name == name);
        if (column.Name is null)
        {
            string available = string.Join(", ", schema.Select(c => $"'{c.Name}'"));
            throw new ArgumentOutOfRangeException(nameof(schema), $"{role} column '{name}' was not found in the input. Available columns: {available}.");
        }

        return column;
    }

    public static void RequireFloatVector(SchemaShape.Column column, string role)
    {
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != NumberDataViewType.Single || column.IsKey)
        {
            throw new ArgumentOutOfRangeException(nameof(column), $"{role} column '{column.Name}' must be a known-size vector of Single; found {Describe(column)}. Use Concatenate or ConvertType to build it.");
        }
    }

    public static void RequireKey(SchemaShape.Column column, string role)
    {
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar || !column.IsKey || column.ItemType.RawType != typeof(uint))
        {
            throw new ArgumentOutOfRangeException(nameof(column), $"{role} column '{column.Name}' must be a key type (UInt32); found {Describe(column)}. Convert it with mlContext.Transforms.Conversion.MapValueToKey(\"{column.Name}\").");
        }
    }

    private static string Describe(SchemaShape.Column column)
        => $"{column.Kind} of {(column.IsKey ? "Key<" + column.ItemType + ">" : column.ItemType.ToString())}";
}
