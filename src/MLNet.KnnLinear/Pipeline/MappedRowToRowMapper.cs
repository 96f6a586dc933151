using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// Maps single rows, as <c>PredictionEngine</c> and transformer chains need. The appended values are computed when
/// first read at a new input position and reused for the other appended columns of that row.
/// </summary>
internal sealed class MappedRowToRowMapper : IRowToRowMapper
{
    private readonly MappedSchema _schema;

    public MappedRowToRowMapper(RowMapping mapping) => _schema = new MappedSchema(mapping);

    public DataViewSchema InputSchema => _schema.Mapping.InputSchema;

    public DataViewSchema OutputSchema => _schema.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
        => _schema.Dependencies(dependingColumns, out _);

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        if (input.Schema != InputSchema)
        {
            throw new ArgumentException("The row's schema is not the schema this mapper was created for.", nameof(input));
        }

        _schema.Dependencies(activeColumns, out bool[] activeMapped);
        return new MappedRow(_schema, input, activeMapped);
    }

    private sealed class MappedRow : DataViewRow
    {
        private readonly MappedSchema _schema;
        private readonly DataViewRow _input;
        private readonly bool[] _activeMapped;
        private readonly Delegate?[] _getters;
        private readonly RowBlock? _block;
        private long _computedPosition = -1;

        public MappedRow(MappedSchema schema, DataViewRow input, bool[] activeMapped)
        {
            _schema = schema;
            _input = input;
            _activeMapped = activeMapped;
            _getters = new Delegate?[activeMapped.Length];
            if (!activeMapped.Any(a => a))
            {
                return;
            }

            _block = schema.Mapping.CreateBlock();
            _block.Bind(input);
            for (int j = 0; j < activeMapped.Length; j++)
            {
                if (activeMapped[j])
                {
                    _getters[j] = _block.CreateGetter(j, CurrentSlot);
                }
            }
        }

        public override DataViewSchema Schema => _schema.OutputSchema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column)
            => _schema.IsMapped(column.Index)
                ? _activeMapped[column.Index - _schema.InputCount]
                : _input.IsColumnActive(_input.Schema[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!_schema.IsMapped(column.Index))
            {
                return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            }

            var getter = _getters[column.Index - _schema.InputCount]
                ?? throw new InvalidOperationException($"Column '{column.Name}' is not active in this row.");
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }

        private int CurrentSlot()
        {
            if (_computedPosition != _input.Position || _input.Position < 0)
            {
                _block!.Append(0);
                _block.Compute(1);
                _computedPosition = _input.Position;
            }

            return 0;
        }
    }
}
