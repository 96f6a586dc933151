using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Knn;
using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear;

/// <summary>
/// The fitted k-nearest-neighbours predictor. Appends <c>Score</c> (the vote fraction of each class: a vector of
/// Single with one slot per label key value, summing to 1) and <c>PredictedLabel</c> (the label key of the class
/// with the most votes; ties go to the tied class holding the nearest neighbour). On such a tie the other tied
/// classes' scores are lowered by one float step (about 6e-8 of their value), so that argmax(<c>Score</c>), which is
/// what ML.NET's <c>Evaluate</c> reads, is always <c>PredictedLabel</c>, whatever the order of the label keys.
/// </summary>
/// <remarks>
/// Saved state version 4 holds the model, its index (exact, or an inverted file's centroids and lists, or an HNSW
/// graph) and column names; since version 4 an exact L2 or cosine index over pixel bytes is saved as bytes (version 3
/// saved them as floats), a quarter of the size; the number of search threads is a runtime setting (the trainer's <see cref="KnnTrainer.Options.NumberOfThreads"/>
/// for a model it fits, every core for a loaded one). Version 2 files (exact index only) and version 1 files (which
/// also stored the thread count, ignored) are still read, and so are version 3 files.
/// </remarks>
public sealed class KnnPredictionTransformer : RowMappingTransformer, ISingleFeaturePredictionTransformer<KnnModelParameters>, IPersistentTransformer<KnnPredictionTransformer>
{
    internal const string LoaderSignature = "KnnPredictionTransformer";
    private const int StateVersion = 4;

    private readonly LabelKeyValues? _classNames;

    internal KnnPredictionTransformer(KnnModelParameters model, string featureColumnName, LabelKeyValues? classNames)
    {
        Model = model;
        FeatureColumnName = featureColumnName;
        FeatureColumnType = new VectorDataViewType(NumberDataViewType.Single, model.FeatureCount);
        _classNames = classNames;
    }

    /// <inheritdoc/>
    public KnnModelParameters Model { get; }

    /// <inheritdoc/>
    public string FeatureColumnName { get; }

    /// <summary>
    /// The type the model was trained on: a Single vector of <see cref="KnnModelParameters.FeatureCount"/> slots. A
    /// Byte vector of that size (raw pixels) is accepted as well.
    /// </summary>
    public DataViewType FeatureColumnType { get; }

    /// <summary>The class names from the label's key values, in key order (the <c>Score</c> slots' order); null when the label had none.</summary>
    public IReadOnlyList<string>? ClassNames => _classNames?.Names;

    /// <summary>
    /// The same model searching its approximate index with another search size: an inverted file's number of probed
    /// lists (1 to its list count; all of them gives the exact result) or an HNSW graph's efSearch (at least 1). The
    /// new transformer shares the training rows and the index with this one, which is left as it is (a fitted model is
    /// read-only, since every prediction engine shares it); it is saved with its own search size.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model's index is exact (it has no search size).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The size is out of range for the index.</exception>
    public KnnPredictionTransformer WithSearchSize(int probesOrEf)
        => new(Model.WithSearchSize(probesOrEf), FeatureColumnName, _classNames);

    static PersistenceInfo IPersistentTransformer<KnnPredictionTransformer>.Persistence { get; } = new(LoaderSignature, "KNNPREDT", StateVersion);

    static KnnPredictionTransformer IPersistentTransformer<KnnPredictionTransformer>.ReadState(ModelStateReader reader, int version)
    {
        string feature = reader.ReadString("feature column name");
        if (version == 1)
        {
            // Version 1 stored the training-time thread count; it is a runtime setting, so it is read past, not used.
            reader.ReadInt32("number of threads (version 1, ignored)", 0);
        }

        var classNames = reader.ReadBoolean("has class names") ? LabelKeyValues.Read(reader) : null;
        var model = KnnModelParameters.Read(reader, maxThreads: 0, storedClassNames: classNames?.Count ?? 0, version);
        return new KnnPredictionTransformer(model, feature, classNames);
    }

    void IPersistentTransformer<KnnPredictionTransformer>.WriteState(BinaryWriter writer)
    {
        writer.WriteUtf8(FeatureColumnName);
        writer.Write(_classNames is not null);
        _classNames?.Write(writer);
        Model.Write(writer);
    }

    private protected override RowMapping Bind(DataViewSchema inputSchema)
        => new KnnRowMapping(inputSchema, Model, FeatureColumnName, _classNames);

    private protected override void SaveModel(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this);
}
