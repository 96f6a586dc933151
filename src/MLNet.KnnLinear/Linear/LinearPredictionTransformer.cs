using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Linear;
using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear;

/// <summary>
/// The fitted multiclass linear classifier. Appends <c>Score</c> (class probabilities: the softmax of s = W x + b, for
/// both losses; the raw scores are <see cref="LinearModelParameters.GetScores"/>) and <c>PredictedLabel</c> (the key
/// of the highest score; the lowest class index on ties).
/// </summary>
public sealed class LinearPredictionTransformer : RowMappingTransformer, ISingleFeaturePredictionTransformer<LinearModelParameters>, IPersistentTransformer<LinearPredictionTransformer>
{
    internal const string LoaderSignature = "LinearClassifierModel";
    private const int StateVersion = 1;

    private readonly LabelKeyValues? _classNames;

    internal LinearPredictionTransformer(LinearModelParameters model, string featureColumnName, LabelKeyValues? classNames)
    {
        Model = model;
        FeatureColumnName = featureColumnName;
        FeatureColumnType = new VectorDataViewType(NumberDataViewType.Single, model.FeatureCount);
        _classNames = classNames;
    }

    /// <inheritdoc/>
    public LinearModelParameters Model { get; }

    /// <inheritdoc/>
    public string FeatureColumnName { get; }

    /// <inheritdoc/>
    public DataViewType FeatureColumnType { get; }

    /// <summary>The class names from the label's key values, in key order (e.g. for <c>SaveClassTemplates</c> (package MLNet.KnnLinear.Visualization)); null when the label had none.</summary>
    public IReadOnlyList<string>? ClassNames => _classNames?.Names;

    static PersistenceInfo IPersistentTransformer<LinearPredictionTransformer>.Persistence { get; } = new(LoaderSignature, "LINPREDT", StateVersion);

    static LinearPredictionTransformer IPersistentTransformer<LinearPredictionTransformer>.ReadState(ModelStateReader reader, int version)
    {
        string feature = reader.ReadString("feature column name");
        var classNames = reader.ReadBoolean("has class names") ? LabelKeyValues.Read(reader) : null;
        return new LinearPredictionTransformer(LinearModelParameters.Read(reader), feature, classNames);
    }

    void IPersistentTransformer<LinearPredictionTransformer>.WriteState(BinaryWriter writer)
    {
        writer.WriteUtf8(FeatureColumnName);
        writer.Write(_classNames is not null);
        _classNames?.Write(writer);
        Model.Write(writer);
    }

    private protected override RowMapping Bind(DataViewSchema inputSchema)
        => new LinearRowMapping(inputSchema, Model, FeatureColumnName, _classNames);

    private protected override void SaveModel(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this);
}
