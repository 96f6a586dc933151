using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Neighbors;

/// <summary>Reads the feature vector (Single or Byte), searches a block of rows at once, appends row numbers and distances.</summary>
internal sealed class NearestNeighborsRowMapping : RowMapping
{
    private const int MaxQueriesPerBlock = 1024;

    private readonly NearestNeighborsTransformer _transformer;
    private readonly DataViewSchema.Column _features;
    private readonly bool _bytes;

    public NearestNeighborsRowMapping(DataViewSchema inputSchema, NearestNeighborsTransformer transformer)
        : base(inputSchema)
    {
        _transformer = transformer;
        _features = ColumnChecks.Require(inputSchema, transformer.InputColumnName, "Feature");
        (int size, _bytes) = ColumnChecks.RequireFeatureVector(_features, "Feature", allowBytes: true);
        if (size != transformer.Index.Dimension)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Feature column '{_features.Name}' has {size} slots; the index holds rows of {transformer.Index.Dimension}.");
        }

        Inputs = [_features];
        int k = transformer.NumberOfNeighbors;
        Columns =
        [
            new MappedColumn(transformer.OutputColumnName, new VectorDataViewType(NumberDataViewType.Int32, k), DataViewSchema.Annotations.Empty),
            new MappedColumn(transformer.DistancesColumnName, new VectorDataViewType(NumberDataViewType.Single, k), DataViewSchema.Annotations.Empty),
        ];
    }

    public override IReadOnlyList<MappedColumn> Columns { get; }

    public override IReadOnlyList<DataViewSchema.Column> Inputs { get; }

    public override int MaxBlockRows => MaxQueriesPerBlock;

    public override long BytesPerRow => (4L * _transformer.Index.Dimension) + (8L * _transformer.NumberOfNeighbors);

    public override RowBlock CreateBlock() => new Block(this);

    public override string ComponentName => "FindNearestNeighbors";

    public override void CheckOnnxExport() => Search.ExactSearchOnnx.Check(_transformer.Index, ComponentName);

    /// <summary>The exact search's rows (as Int32, the column's type) and distances.</summary>
    public override void ExportOnnx(MlNetInterop.OnnxGraph graph)
    {
        var (distances, rows) = Search.ExactSearchOnnx.Search(graph, _transformer.Index, graph.Column(_features.Name), _transformer.NumberOfNeighbors);
        graph.SetColumn(Columns[0], graph.Cast(rows, typeof(int)));
        graph.SetColumn(Columns[1], distances);
    }

    private sealed class Block : RowBlock
    {
        private readonly NearestNeighborsRowMapping _mapping;
        private readonly BlockBuffer<float> _queries;
        private readonly BlockBuffer<int> _rows;
        private readonly BlockBuffer<float> _distances;
        private FeatureRowReader? _reader;

        public Block(NearestNeighborsRowMapping mapping)
        {
            _mapping = mapping;
            string column = $"Feature column '{mapping._features.Name}'";
            _queries = new BlockBuffer<float>(mapping._transformer.Index.Dimension, column);
            _rows = new BlockBuffer<int>(mapping._transformer.NumberOfNeighbors, column);
            _distances = new BlockBuffer<float>(mapping._transformer.NumberOfNeighbors, column);
        }

        public override void Reserve(int rows)
        {
            _queries.Reserve(rows);
            _rows.Reserve(rows);
            _distances.Reserve(rows);
        }

        public override void Bind(DataViewRow source) => _reader = new FeatureRowReader(source, _mapping._features, _mapping._bytes);

        public override void Append(int slot) => _reader!.Read(_queries.Row(slot));

        public override void Compute(int count)
            => _mapping._transformer.Index.Search(_queries.Rows(count), _mapping._transformer.NumberOfNeighbors, _rows.Rows(count), _distances.Rows(count));

        public override Delegate CreateGetter(int column, Func<int> slot) => column switch
        {
            0 => (ValueGetter<VBuffer<int>>)((ref VBuffer<int> value) => Copy(_rows.Row(slot()), ref value)),
            _ => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => Copy(_distances.Row(slot()), ref value)),
        };

        private static void Copy<T>(ReadOnlySpan<T> source, ref VBuffer<T> value)
        {
            var editor = VBufferEditor.Create(ref value, source.Length);
            source.CopyTo(editor.Values);
            value = editor.Commit();
        }
    }
}
