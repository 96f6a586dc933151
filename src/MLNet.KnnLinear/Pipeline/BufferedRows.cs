using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// A block of source rows read ahead, as a row: the values of the passed-through columns a consumer asked for, and
/// each row's id and batch, kept per slot while the block is computed and served. Only those columns are active.
/// </summary>
internal sealed class BufferedRows : DataViewRow
{
    private readonly DataViewRowCursor _source;
    private readonly ColumnBuffer?[] _columns;
    private readonly Delegate?[] _getters;
    private readonly ValueGetter<DataViewRowId> _sourceId;
    private readonly DataViewRowId[] _ids;
    private readonly long[] _batches;
    private readonly Func<int> _slot;

    public BufferedRows(DataViewRowCursor source, IEnumerable<DataViewSchema.Column> passThrough, int capacity, Func<int> slot)
    {
        _source = source;
        _slot = slot;
        _sourceId = source.GetIdGetter();
        _ids = new DataViewRowId[capacity];
        _batches = new long[capacity];
        _columns = new ColumnBuffer?[source.Schema.Count];
        _getters = new Delegate?[source.Schema.Count];
        foreach (var column in passThrough)
        {
            var buffer = ColumnBuffer.Create(source, column, capacity);
            _columns[column.Index] = buffer;
            _getters[column.Index] = buffer.CreateGetter(slot);
        }
    }

    public override DataViewSchema Schema => _source.Schema;

    public override long Position => throw new NotSupportedException("The mapped cursor keeps the position.");

    public override long Batch => _batches[_slot()];

    /// <summary>Stores the source cursor's current row in <paramref name="slot"/>.</summary>
    public void Capture(int slot)
    {
        _sourceId(ref _ids[slot]);
        _batches[slot] = _source.Batch;
        foreach (var column in _columns)
        {
            column?.Capture(slot);
        }
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = _ids[_slot()];

    /// <summary>Releases what the column buffers own (copied images) when the cursor is disposed.</summary>
    public void Release()
    {
        foreach (var column in _columns)
        {
            column?.Release();
        }
    }

    public override bool IsColumnActive(DataViewSchema.Column column) => _columns[column.Index] is not null;

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        var getter = _getters[column.Index] ?? throw new InvalidOperationException($"Column '{column.Name}' is not active; request it when creating the cursor.");
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}; it cannot be read as {typeof(TValue).Name}.");
    }
}
