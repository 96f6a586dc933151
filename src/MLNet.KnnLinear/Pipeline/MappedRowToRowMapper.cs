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
        private readonly MappedGetters _getters;
        private long _computedPosition = -1;

        public MappedRow(MappedSchema schema, DataViewRow input, bool[] activeMapped)
        {
            _schema = schema;
            _input = input;
            _getters = new MappedGetters(schema, input, activeMapped, CurrentSlot);
            // One row at a time (PredictionEngine): room for one row, whatever a cursor's block would hold.
            _getters.Block?.Reserve(1);
            _getters.Block?.Bind(input);
        }

        public override DataViewSchema Schema => _schema.OutputSchema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _getters.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _getters.GetGetter<TValue>(column);

        private int CurrentSlot()
        {
            if (_computedPosition != _input.Position || _input.Position < 0)
            {
                _getters.Block!.Append(0);
                _getters.Block.Compute(1);
                _computedPosition = _input.Position;
            }

            return 0;
        }
    }
}
