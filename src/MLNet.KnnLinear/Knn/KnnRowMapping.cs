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
    private const int QueriesPerBlock = 1024;

    private readonly KnnModelParameters _model;

    public KnnRowMapping(DataViewSchema inputSchema, KnnModelParameters model, string featureColumnName, LabelKeyValues? classNames)
        : base(inputSchema, featureColumnName, model.FeatureCount, model.ClassCount, classNames)
        => _model = model;

    public override int BlockSize => QueriesPerBlock;

    public override RowBlock CreateBlock() => new Block(this);

    private sealed class Block : RowBlock
    {
        private readonly KnnRowMapping _mapping;
        private readonly int _features;
        private readonly int _classes;
        private readonly float[] _queries;
        private readonly float[] _scores;
        private readonly int[] _predicted;
        private ValueGetter<VBuffer<float>>? _getter;
        private VBuffer<float> _buffer;

        public Block(KnnRowMapping mapping)
        {
            _mapping = mapping;
            _features = mapping._model.FeatureCount;
            _classes = mapping._model.ClassCount;
            _queries = new float[mapping.BlockSize * _features];
            _scores = new float[mapping.BlockSize * _classes];
            _predicted = new int[mapping.BlockSize];
        }

        public override void Bind(DataViewRow source) => _getter = source.GetGetter<VBuffer<float>>(_mapping.Features);

        public override void Append(int slot)
        {
            _getter!(ref _buffer);
            FeatureVectors.CopyChecked(_buffer, _queries.AsSpan(slot * _features, _features), _mapping.Features.Name);
        }

        public override void Compute(int count)
            => _mapping._model.Predict(_queries.AsSpan(0, count * _features), _scores.AsSpan(0, count * _classes), _predicted.AsSpan(0, count));

        public override Delegate CreateGetter(int column, Func<int> slot) => column switch
        {
            PredictionColumns.Score => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                int at = slot();
                var editor = VBufferEditor.Create(ref value, _classes);
                _scores.AsSpan(at * _classes, _classes).CopyTo(editor.Values);
                value = editor.Commit();
            }),
            _ => (ValueGetter<uint>)((ref uint value) => value = (uint)_predicted[slot()] + 1),
        };
    }
}
