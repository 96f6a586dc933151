using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Knn;

/// <summary>
/// Binds a kNN model to an input schema: reads the feature vector, appends <c>Score</c> (vote fractions, one slot
/// per class) and <c>PredictedLabel</c> (the label key). Rows are predicted in blocks so the search can run as
/// matrix-shaped work over several threads.
/// </summary>
internal sealed class KnnRowMapping : ClassifierRowMapping
{
    // Large blocks let the GEMM-shaped search reuse each database row for many queries.
    private const int MaxQueriesPerBlock = 1024;

    private readonly KnnModelParameters _model;

    public KnnRowMapping(DataViewSchema inputSchema, KnnModelParameters model, string featureColumnName, LabelKeyValues? classNames)
        : base(inputSchema, featureColumnName, model.FeatureCount, model.ClassCount, classNames, allowByteFeatures: true)
        => _model = model;

    public override int MaxBlockRows => MaxQueriesPerBlock;

    /// <summary>The query, its scores and prediction, and the search's per-query results (k distances and rows).</summary>
    public override long BytesPerRow => (4L * _model.FeatureCount) + (4L * _model.ClassCount) + 4 + (8L * _model.NumberOfNeighbors);

    public override RowBlock CreateBlock() => new Block(this);

    public override string ComponentName => "Knn";

    public override void CheckOnnxExport() => KnnOnnxExport.Check(_model);

    public override void ExportOnnx(MlNetInterop.OnnxGraph graph)
    {
        var (scores, predicted) = KnnOnnxExport.Export(graph, _model, graph.Column(Features.Name));
        ClassifierOnnxOutputs.Write(graph, Columns, scores, predicted);
    }

    private sealed class Block : RowBlock
    {
        private readonly KnnRowMapping _mapping;
        private readonly BlockBuffer<float> _queries;
        private readonly BlockBuffer<float> _scores;
        private readonly BlockBuffer<int> _predicted;
        private FeatureRowReader? _reader;

        public Block(KnnRowMapping mapping)
        {
            _mapping = mapping;
            string column = $"Feature column '{mapping.Features.Name}'";
            _queries = new BlockBuffer<float>(mapping._model.FeatureCount, column);
            _scores = new BlockBuffer<float>(mapping._model.ClassCount, column);
            _predicted = new BlockBuffer<int>(1, column);
        }

        public override void Reserve(int rows)
        {
            _queries.Reserve(rows);
            _scores.Reserve(rows);
            _predicted.Reserve(rows);
        }

        public override void Bind(DataViewRow source) => _reader = new FeatureRowReader(source, _mapping.Features, _mapping.FeaturesAreBytes);

        // The query's only copy: straight from the column into the block (Byte pixels widened on the way).
        public override void Append(int slot) => _reader!.Read(_queries.Row(slot));

        public override void Compute(int count)
            => _mapping._model.Predict(_queries.Rows(count), _scores.Rows(count), _predicted.Rows(count));

        public override Delegate CreateGetter(int column, Func<int> slot) => column switch
        {
            PredictionColumns.Score => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                var scores = _scores.Row(slot());
                var editor = VBufferEditor.Create(ref value, scores.Length);
                scores.CopyTo(editor.Values);
                value = editor.Commit();
            }),
            _ => (ValueGetter<uint>)((ref uint value) => value = (uint)_predicted.Row(slot())[0] + 1),
        };
    }
}
