using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Tests.Support;

/// <summary>
/// A pass-through data view that counts, per row id, how many times consumers read one column's value (every cursor,
/// every cursor set). The counts say how often each upstream value was fetched, so how often the steps reading it ran.
/// </summary>
public sealed class ReadCountingDataView(IDataView source, string countedColumn) : IDataView
{
    public ConcurrentDictionary<ulong, int> Reads { get; } = new();

    public string CountedColumn { get; } = countedColumn;

    public bool CanShuffle => source.CanShuffle;

    public DataViewSchema Schema => source.Schema;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => new Cursor(this, source.GetRowCursor(columnsNeeded, rand));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => Array.ConvertAll(source.GetRowCursorSet(columnsNeeded, n, rand), c => (DataViewRowCursor)new Cursor(this, c));

    private sealed class Cursor(ReadCountingDataView view, DataViewRowCursor input) : DataViewRowCursor
    {
        private readonly ValueGetter<DataViewRowId> _id = input.GetIdGetter();

        public override DataViewSchema Schema => input.Schema;

        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _id;

        public override bool IsColumnActive(DataViewSchema.Column column) => input.IsColumnActive(column);

        public override bool MoveNext() => input.MoveNext();

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var getter = input.GetGetter<TValue>(column);
            if (column.Name != view.CountedColumn)
            {
                return getter;
            }

            return (ref TValue value) =>
            {
                DataViewRowId id = default;
                _id(ref id);
                view.Reads.AddOrUpdate(id.Low, 1, (_, count) => count + 1);
                getter(ref value);
            };
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                input.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
