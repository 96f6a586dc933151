using Microsoft.ML;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// The input side shared by the multiclass predictors: one feature vector column of the size the model was trained
/// on, and the <c>Score</c> / <c>PredictedLabel</c> columns appended.
/// </summary>
internal abstract class ClassifierRowMapping : RowMapping
{
    /// <summary>Binds the feature column: a Single vector, or a Byte one too when allowByteFeatures (kNN's raw pixels).</summary>
    protected ClassifierRowMapping(DataViewSchema inputSchema, string featureColumnName, int featureCount, int classCount, LabelKeyValues? classNames, bool allowByteFeatures = false)
        : base(inputSchema)
    {
        Features = ColumnChecks.Require(inputSchema, featureColumnName, "Feature");
        (int size, FeaturesAreBytes) = ColumnChecks.RequireFeatureVector(Features, "Feature", allowByteFeatures);
        if (size != featureCount)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Feature column '{featureColumnName}' has {size} slots; the model was trained on {featureCount}.");
        }

        Inputs = [Features];
        Columns = PredictionColumns.Create(classCount, classNames);
    }

    public DataViewSchema.Column Features { get; }

    /// <summary>The feature column holds Byte values.</summary>
    public bool FeaturesAreBytes { get; }

    public override IReadOnlyList<MappedColumn> Columns { get; }

    public override IReadOnlyList<DataViewSchema.Column> Inputs { get; }
}
