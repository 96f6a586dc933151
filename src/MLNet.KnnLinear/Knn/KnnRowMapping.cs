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

    private sealed class Block : RowBlock
    {
        private readonly KnnRowMapping _mapping;
        private readonly BlockBuffer<float> _queries;
        private readonly BlockBuffer<float> _scores;
        private readonly BlockBuffer<int> _predicted;
        private ValueGetter<VBuffer<float>>? _getter;
        private ValueGetter<VBuffer<byte>>? _byteGetter;
        private VBuffer<float> _buffer;
        private VBuffer<byte> _bytes;

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

        public override void Bind(DataViewRow source)
        {
            if (_mapping.FeaturesAreBytes)
            {
                _byteGetter = source.GetGetter<VBuffer<byte>>(_mapping.Features);
            }
            else
            {
                _getter = source.GetGetter<VBuffer<float>>(_mapping.Features);
            }
        }

        public override void Append(int slot)
        {
            if (_byteGetter is null)
            {
                _getter!(ref _buffer);
                FeatureVectors.CopyChecked(_buffer, _queries.Row(slot), _mapping.Features.Name);
                return;
            }

            // Byte queries (raw pixels) are widened straight into the block, their only copy.
            _byteGetter(ref _bytes);
            var query = _queries.Row(slot);
            if (_bytes.Length != query.Length)
            {
                throw new InvalidOperationException($"Feature column '{_mapping.Features.Name}' has a vector of {_bytes.Length} values; expected {query.Length}.");
            }

            if (_bytes.IsDense)
            {
                System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(_bytes.GetValues(), query);
            }
            else
            {
                query.Clear();
                var values = _bytes.GetValues();
                var indices = _bytes.GetIndices();
                for (int i = 0; i < values.Length; i++)
                {
                    query[indices[i]] = values[i];
                }
            }
        }

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
