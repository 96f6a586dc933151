using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// A cursor over a mapped view. Passed-through columns come from the source cursor. Appended columns come from
/// the cursor's own <see cref="RowBlock"/>: either computed row by row when first asked for, or (for batched
/// mappings) computed a block at a time from inputs read ahead by a second source cursor. The two source cursors
/// must visit the same rows; their row ids are compared, and on any difference the cursor falls back to row by row.
/// </summary>
internal sealed class MappedCursor : DataViewRowCursor
{
    private readonly MappedSchema _schema;
    private readonly DataViewRowCursor _input;
    private readonly MappedGetters _getters;
    private readonly RowBlock? _block;
    private readonly ValueGetter<DataViewRowId> _inputId;
    private DataViewRowCursor? _ahead;
    private ValueGetter<DataViewRowId>? _aheadId;
    private DataViewRowId[] _blockIds = [];
    private int _filled;
    private int _slot;
    private long _computedPosition = -1;

    /// <param name="schema">The mapped schema.</param>
    /// <param name="input">The source cursor the rows are passed through from.</param>
    /// <param name="ahead">A second source cursor over the same rows that reads a block ahead, or null to map row by row.</param>
    /// <param name="activeMapped">Which appended columns are active.</param>
    /// <param name="blockRows">Rows per block when reading ahead (from the mapping's byte budget).</param>
    public MappedCursor(MappedSchema schema, DataViewRowCursor input, DataViewRowCursor? ahead, bool[] activeMapped, int blockRows)
    {
        _schema = schema;
        _input = input;
        _inputId = input.GetIdGetter();
        _getters = new MappedGetters(schema, input, activeMapped, CurrentSlot);
        _block = _getters.Block;
        if (_block is null)
        {
            ahead?.Dispose();
            return;
        }

        if (ahead is null)
        {
            _block.Reserve(1);
            _block.Bind(input);
        }
        else
        {
            _ahead = ahead;
            _aheadId = ahead.GetIdGetter();
            _blockIds = new DataViewRowId[blockRows];
            _block.Reserve(blockRows);
            _block.Bind(ahead);
        }
    }

    public override DataViewSchema Schema => _schema.OutputSchema;

    public override long Position => _input.Position;

    public override long Batch => _input.Batch;

    public override ValueGetter<DataViewRowId> GetIdGetter() => _inputId;

    public override bool IsColumnActive(DataViewSchema.Column column) => _getters.IsColumnActive(column);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _getters.GetGetter<TValue>(column);

    public override bool MoveNext()
    {
        if (!_input.MoveNext())
        {
            return false;
        }

        if (_ahead is null)
        {
            return true;
        }

        if (++_slot >= _filled)
        {
            ReadAheadAndCompute();
        }

        DataViewRowId id = default;
        _inputId(ref id);
        if (_filled == 0 || !id.Equals(_blockIds[_slot]))
        {
            FallBackToRowByRow();
        }

        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
            _ahead?.Dispose();
        }

        base.Dispose(disposing);
    }

    private void ReadAheadAndCompute()
    {
        _filled = 0;
        _slot = 0;
        while (_filled < _blockIds.Length && _ahead!.MoveNext())
        {
            _aheadId!(ref _blockIds[_filled]);
            _block!.Append(_filled);
            _filled++;
        }

        if (_filled > 0)
        {
            _block!.Compute(_filled);
        }
    }

    /// <summary>The source cursors disagree on the row order (a source that is not deterministic): map row by row.</summary>
    private void FallBackToRowByRow()
    {
        _ahead!.Dispose();
        _ahead = null;
        _block!.Bind(_input);
        _computedPosition = -1;
    }

    private int CurrentSlot()
    {
        if (_input.Position < 0)
        {
            throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");
        }

        if (_ahead is not null)
        {
            return _slot;
        }

        if (_computedPosition != _input.Position)
        {
            _block!.Append(0);
            _block.Compute(1);
            _computedPosition = _input.Position;
        }

        return 0;
    }
}
