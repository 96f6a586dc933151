using Microsoft.ML;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// The lazy result of <c>Transform</c>: nothing is computed until a cursor moves, and only for the columns the
/// cursor asked for. Cursor sets are passed through to the source when rows are mapped one at a time; batched
/// mappings return a single cursor, which reads the source once, a block at a time, and spreads each block's work
/// over threads.
/// </summary>
internal class MappedDataView : IDataView
{
    private readonly IDataView _source;
    private readonly MappedSchema _schema;

    public MappedDataView(IDataView source, RowMapping mapping)
    {
        _source = source;
        _schema = new MappedSchema(mapping);
    }

    /// <summary>The data this view maps.</summary>
    public IDataView Source => _source;

    /// <summary>The mapping bound to <see cref="Source"/>'s schema.</summary>
    public RowMapping Mapping => _schema.Mapping;

    public bool CanShuffle => _source.CanShuffle;

    public DataViewSchema Schema => _schema.OutputSchema;

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        var inputs = _schema.Dependencies(needed, out bool[] activeMapped);
        return CreateCursor(needed, inputs, activeMapped, rand);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        var inputs = _schema.Dependencies(needed, out bool[] activeMapped);
        if (activeMapped.Any(a => a) && _schema.Mapping.BlockRows > 1)
        {
            return [CreateCursor(needed, inputs, activeMapped, rand)];
        }

        var cursors = _source.GetRowCursorSet(inputs, n, rand);
        return Array.ConvertAll(cursors, c => (DataViewRowCursor)new MappedCursor(_schema, c, activeMapped, [], blockRows: 1));
    }

    private MappedCursor CreateCursor(List<DataViewSchema.Column> needed, List<DataViewSchema.Column> inputs, bool[] activeMapped, Random? rand)
    {
        // The passed-through columns the consumer asked for: a cursor reading in blocks keeps their values per row.
        var passThrough = needed.Where(c => !_schema.IsMapped(c.Index)).Select(c => _schema.Mapping.InputSchema[c.Index]).ToList();
        int blockRows = _schema.Mapping.BlockRows;

        // Small sources get blocks of their size: one 640 × 480 image needs no room for 17.
        if (_source.GetRowCount() is long rows)
        {
            blockRows = (int)Math.Clamp(rows, 1, blockRows);
        }

        return new MappedCursor(_schema, _source.GetRowCursor(inputs, rand), activeMapped, passThrough, blockRows);
    }
}
