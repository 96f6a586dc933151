using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Linear;

/// <summary>Binds a linear model to an input schema: <c>Score</c> = softmax(W x + b), <c>PredictedLabel</c> = argmax (lowest class on ties).</summary>
internal sealed class LinearRowMapping : ClassifierRowMapping
{
    private readonly LinearModelParameters _model;

    public LinearRowMapping(DataViewSchema inputSchema, LinearModelParameters model, string featureColumnName, LabelKeyValues? classNames)
        : base(inputSchema, featureColumnName, model.FeatureCount, model.ClassCount, classNames)
        => _model = model;

    public override RowBlock CreateBlock() => new Block(this);

    public override string ComponentName => "LinearClassifier";

    /// <summary>Every loss and regularizer exports: prediction is the same Gemm and softmax for all.</summary>
    public override void CheckOnnxExport()
    {
    }

    public override void ExportOnnx(MlNetInterop.OnnxGraph graph)
        => LinearOnnxExport.Export(graph, _model, graph.Column(Features.Name), Columns);

    private sealed class Block(LinearRowMapping mapping) : RowBlock
    {
        private readonly float[] _features = new float[mapping._model.FeatureCount];
        private readonly float[] _probabilities = new float[mapping._model.ClassCount];
        private ValueGetter<VBuffer<float>>? _getter;
        private VBuffer<float> _buffer;
        private uint _predicted;

        /// <summary>Rows are mapped one at a time, so the block's one-row buffers always suffice.</summary>
        public override void Reserve(int rows)
        {
        }

        public override void Bind(DataViewRow source) => _getter = source.GetGetter<VBuffer<float>>(mapping.Features);

        public override void Append(int slot)
        {
            _getter!(ref _buffer);
            FeatureVectors.CopyChecked(_buffer, _features, mapping.Features.Name);
        }

        public override void Compute(int count)
        {
            mapping._model.GetProbabilities(_features, _probabilities);
            int best = 0;
            for (int c = 1; c < _probabilities.Length; c++)
            {
                if (_probabilities[c] > _probabilities[best])
                {
                    best = c;
                }
            }

            _predicted = (uint)best + 1;
        }

        public override Delegate CreateGetter(int column, Func<int> slot) => column switch
        {
            PredictionColumns.Score => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                slot();
                var editor = VBufferEditor.Create(ref value, _probabilities.Length);
                _probabilities.CopyTo(editor.Values);
                value = editor.Commit();
            }),
            _ => (ValueGetter<uint>)((ref uint value) =>
            {
                slot();
                value = _predicted;
            }),
        };
    }
}
