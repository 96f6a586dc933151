using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// A cursor over a mapped view. Row by row (one-row mappings, or no appended column active): passed-through columns
/// come from the source cursor and appended ones are computed when first asked for. In blocks (batched mappings):
/// one source cursor reads a block of rows ahead; each row's mapping inputs go into the block, the passed-through
/// columns the consumer asked for into <see cref="BufferedRows"/>; the block is computed at once and then served row
/// by row. So every upstream value is read, and every upstream step computed, once per row.
/// </summary>
internal sealed class MappedCursor : DataViewRowCursor
{
    private readonly MappedSchema _schema;
    private readonly DataViewRowCursor _source;
    private readonly MappedGetters _getters;
    private readonly RowBlock? _block;
    private readonly BufferedRows? _buffered;
    private readonly int _blockRows;
    private int _filled;
    private int _slot;
    private long _position = -1;
    private long _computedPosition = -1;
    private bool _disposed;

    /// <param name="schema">The mapped schema.</param>
    /// <param name="source">The source cursor, with the mapping's inputs and the requested passed-through columns active.</param>
    /// <param name="activeMapped">Which appended columns are active.</param>
    /// <param name="passThrough">The passed-through columns the consumer asked for (buffered when reading in blocks).</param>
    /// <param name="blockRows">Rows per block; 1 maps row by row.</param>
    public MappedCursor(MappedSchema schema, DataViewRowCursor source, bool[] activeMapped, IReadOnlyList<DataViewSchema.Column> passThrough, int blockRows)
    {
        _schema = schema;
        _source = source;
        bool batched = blockRows > 1 && activeMapped.Any(a => a);
        _blockRows = batched ? blockRows : 1;
        _buffered = batched ? new BufferedRows(source, passThrough, blockRows, CurrentSlot) : null;
        _getters = new MappedGetters(schema, (DataViewRow?)_buffered ?? source, activeMapped, CurrentSlot);
        _block = _getters.Block;
        _block?.Reserve(_blockRows);
        _block?.Bind(source);
    }

    public override DataViewSchema Schema => _schema.OutputSchema;

    public override long Position => _buffered is null ? _source.Position : _position;

    public override long Batch => _buffered is null ? _source.Batch : _buffered.Batch;

    public override ValueGetter<DataViewRowId> GetIdGetter() => _buffered is null ? _source.GetIdGetter() : _buffered.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) => _getters.IsColumnActive(column);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _getters.GetGetter<TValue>(column);

    public override bool MoveNext()
    {
        if (_buffered is null)
        {
            return _source.MoveNext();
        }

        if (++_slot >= _filled)
        {
            Fill();
            if (_filled == 0)
            {
                return false;
            }
        }

        _position++;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        // Once only: a second Release could hand the block to a cursor while another one already uses it.
        if (disposing && !_disposed)
        {
            _disposed = true;
            _buffered?.Release();
            _block?.Release();
            _source.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Fill()
    {
        // A block is the unit of a featurizer's or a search's pass: where the pass runs inside one of our fits or
        // sweeps (a kNN fit reading HoG features, a sweep's folds), cancelling that fit stops it here.
        Cancellation.ThrowIfRequested();
        _filled = 0;
        _slot = 0;
        while (_filled < _blockRows && _source.MoveNext())
        {
            _buffered!.Capture(_filled);
            _block!.Append(_filled);
            _filled++;
        }

        if (_filled > 0)
        {
            _block!.Compute(_filled);
        }
    }

    private int CurrentSlot()
    {
        if (Position < 0)
        {
            throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");
        }

        if (_buffered is not null)
        {
            return _slot;
        }

        if (_computedPosition != _source.Position)
        {
            _block!.Append(0);
            _block.Compute(1);
            _computedPosition = _source.Position;
        }

        return 0;
    }
}
