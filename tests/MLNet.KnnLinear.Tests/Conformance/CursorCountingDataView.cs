using Microsoft.ML;

namespace MLNet.KnnLinear.Tests.Conformance;

/// <summary>A pass-through data view that records which cursors and columns its consumers asked for.</summary>
public sealed class CursorCountingDataView(IDataView source) : IDataView
{
    public int CursorsOpened { get; private set; }

    public HashSet<string> ColumnsRequested { get; } = [];

    public bool CanShuffle => source.CanShuffle;

    public DataViewSchema Schema => source.Schema;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        Record(columnsNeeded);
        return source.GetRowCursor(columnsNeeded, rand);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        Record(columnsNeeded);
        return source.GetRowCursorSet(columnsNeeded, n, rand);
    }

    private void Record(IEnumerable<DataViewSchema.Column> columns)
    {
        CursorsOpened++;
        foreach (var column in columns)
        {
            ColumnsRequested.Add(column.Name);
        }
    }
}
