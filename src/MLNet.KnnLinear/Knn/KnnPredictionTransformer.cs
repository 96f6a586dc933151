using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Knn;
using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear;

/// <summary>
/// The fitted k-nearest-neighbours predictor. Appends <c>Score</c> (the vote fraction of each class: a vector of
/// Single with one slot per label key value, summing to 1) and <c>PredictedLabel</c> (the label key of the class
/// with the most votes; ties go to the tied class holding the nearest neighbour).
/// </summary>
public sealed class KnnPredictionTransformer : RowMappingTransformer, ISingleFeaturePredictionTransformer<KnnModelParameters>, IPersistentTransformer<KnnPredictionTransformer>
{
    internal const string LoaderSignature = "KnnPredictionTransformer";
    private const int StateVersion = 1;

    private readonly LabelKeyValues? _classNames;
    private readonly int _numberOfThreads;

    internal KnnPredictionTransformer(KnnModelParameters model, string featureColumnName, LabelKeyValues? classNames, int numberOfThreads)
    {
        Model = model;
        FeatureColumnName = featureColumnName;
        FeatureColumnType = new VectorDataViewType(NumberDataViewType.Single, model.FeatureCount);
        _classNames = classNames;
        _numberOfThreads = numberOfThreads;
    }

    /// <inheritdoc/>
    public KnnModelParameters Model { get; }

    /// <inheritdoc/>
    public string FeatureColumnName { get; }

    /// <inheritdoc/>
    public DataViewType FeatureColumnType { get; }

    static PersistenceInfo IPersistentTransformer<KnnPredictionTransformer>.Persistence { get; } = new(LoaderSignature, "KNNPREDT", StateVersion);

    static KnnPredictionTransformer IPersistentTransformer<KnnPredictionTransformer>.ReadState(ModelStateReader reader, int version)
    {
        string feature = reader.ReadString("feature column name");
        int threads = reader.ReadInt32("number of threads", 0);
        var classNames = reader.ReadBoolean("has class names") ? LabelKeyValues.Read(reader) : null;
        var model = KnnModelParameters.Read(reader, threads);
        return new KnnPredictionTransformer(model, feature, classNames, threads);
    }

    void IPersistentTransformer<KnnPredictionTransformer>.WriteState(BinaryWriter writer)
    {
        writer.WriteUtf8(FeatureColumnName);
        writer.Write(_numberOfThreads);
        writer.Write(_classNames is not null);
        _classNames?.Write(writer);
        Model.Write(writer);
    }

    private protected override RowMapping Bind(DataViewSchema inputSchema)
        => new KnnRowMapping(inputSchema, Model, FeatureColumnName, _classNames);

    private protected override void SaveModel(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this);
}
