using Microsoft.ML;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// The lazy result of <c>Transform</c>: nothing is computed until a cursor moves, and only for the columns the
/// cursor asked for. Cursor sets are passed through to the source when rows are mapped one at a time; batched
/// mappings return a single cursor and spread each block's work over threads instead.
/// </summary>
internal sealed class MappedDataView : IDataView
{
    private readonly IDataView _source;
    private readonly MappedSchema _schema;

    public MappedDataView(IDataView source, RowMapping mapping)
    {
        _source = source;
        _schema = new MappedSchema(mapping);
    }

    public bool CanShuffle => _source.CanShuffle;

    public DataViewSchema Schema => _schema.OutputSchema;

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var inputs = _schema.Dependencies(columnsNeeded, out bool[] activeMapped);
        return CreateCursor(inputs, activeMapped, rand);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var inputs = _schema.Dependencies(columnsNeeded, out bool[] activeMapped);
        if (activeMapped.Any(a => a) && _schema.Mapping.BlockRows > 1)
        {
            return [CreateCursor(inputs, activeMapped, rand)];
        }

        var cursors = _source.GetRowCursorSet(inputs, n, rand);
        return Array.ConvertAll(cursors, c => (DataViewRowCursor)new MappedCursor(_schema, c, null, activeMapped, blockRows: 1));
    }

    private MappedCursor CreateCursor(List<DataViewSchema.Column> inputs, bool[] activeMapped, Random? rand)
    {
        int blockRows = _schema.Mapping.BlockRows;
        if (!activeMapped.Any(a => a) || blockRows == 1)
        {
            return new MappedCursor(_schema, _source.GetRowCursor(inputs, rand), null, activeMapped, blockRows);
        }

        // Two cursors that must visit the same rows: equal seeds give equal shuffles. MappedCursor checks row ids.
        int? seed = rand?.Next();
        var main = _source.GetRowCursor(inputs, seed is int s1 ? new Random(s1) : null);
        var ahead = _source.GetRowCursor(_schema.Mapping.Inputs, seed is int s2 ? new Random(s2) : null);
        // Small sources get blocks of their size: one 640 × 480 image needs no room for 17.
        if (_source.GetRowCount() is long rows)
        {
            blockRows = (int)Math.Clamp(rows, 1, blockRows);
        }

        return new MappedCursor(_schema, main, ahead, activeMapped, blockRows);
    }
}
