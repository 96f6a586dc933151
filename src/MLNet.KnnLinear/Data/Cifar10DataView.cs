using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace MLNet.KnnLinear.Data;

/// <summary>
/// CIFAR-10 records as a lazy data view: nothing is read until a cursor moves, and only the active columns are
/// decoded. <c>Label</c>: key (1..10) whose <c>KeyValues</c> are the class names; <c>Pixels</c>: the 3,072 bytes,
/// planar R, G, B. File sources split into contiguous record ranges for cursor sets.
/// </summary>
internal sealed class Cifar10DataView : IDataView
{
    public const string LabelColumn = "Label";
    public const string PixelsColumn = "Pixels";
    public const string ImageColumn = "Image";

    private readonly Cifar10Source _source;

    public Cifar10DataView(Cifar10Source source, bool includeImages = true)
    {
        _source = source;
        var names = source.ClassNames;
        var keyValues = new DataViewSchema.Annotations.Builder();
        keyValues.Add("KeyValues", new VectorDataViewType(TextDataViewType.Instance, names.Length), (ref VBuffer<ReadOnlyMemory<char>> value) =>
            value = new VBuffer<ReadOnlyMemory<char>>(names.Length, names.Select(n => n.AsMemory()).ToArray()));
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(LabelColumn, new KeyDataViewType(typeof(uint), Cifar10Source.ClassCount), keyValues.ToAnnotations());
        builder.AddColumn(PixelsColumn, new VectorDataViewType(NumberDataViewType.Byte, Cifar10Source.PixelCount));
        if (includeImages)
        {
            builder.AddColumn(ImageColumn, new ImageDataViewType(32, 32));
        }

        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _source.RecordCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => new Cursor(this, columnsNeeded, 0, null, batch: 0);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var columns = columnsNeeded.ToArray();
        if (_source.RecordCount is not long total || n <= 1 || total < 2 * n)
        {
            return [GetRowCursor(columns, rand)];
        }

        return Enumerable.Range(0, n).Select(i =>
        {
            long first = total * i / n;
            long next = total * (i + 1) / n;
            return (DataViewRowCursor)new Cursor(this, columns, first, next - first, batch: i);
        }).ToArray();
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly Cifar10DataView _view;
        private readonly bool[] _active;
        private readonly IEnumerator<Cifar10Source.Record> _records;
        private readonly long _first;
        private readonly long _batch;
        private long _position = -1;

        // batch: the cursor's place in its set. Each cursor of a set reads one contiguous range, in order, so
        // numbering the batches by range is what lets ML.NET's consolidating cursors put the rows back in file order
        // (with one batch number for all, rows downstream of a parallel transform came out in a different order each run).
        public Cursor(Cifar10DataView view, IEnumerable<DataViewSchema.Column> columns, long first, long? count, long batch)
        {
            _view = view;
            _first = first;
            _batch = batch;
            _active = new bool[view.Schema.Count];
            foreach (var column in columns)
            {
                _active[column.Index] = true;
            }

            _records = view._source.Read(first, count).GetEnumerator();
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => _batch;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<DataViewRowId> GetIdGetter()
            => (ref DataViewRowId id) => id = new DataViewRowId((ulong)(_first + _position), 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!_active[column.Index])
            {
                throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor.");
            }

            Delegate getter = column.Name switch
            {
                LabelColumn => (ValueGetter<uint>)((ref uint value) => value = (uint)Current.Label + 1),
                PixelsColumn => (ValueGetter<VBuffer<byte>>)((ref VBuffer<byte> value) =>
                {
                    var editor = VBufferEditor.Create(ref value, Cifar10Source.PixelCount);
                    Current.Pixels.CopyTo(editor.Values);
                    value = editor.Commit();
                }),
                _ => (ValueGetter<MLImage>)((ref MLImage value) => value = ToImage(Current.Pixels)),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }

        public override bool MoveNext()
        {
            if (!_records.MoveNext())
            {
                return false;
            }

            _position++;
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _records.Dispose();
            }

            base.Dispose(disposing);
        }

        /// <summary>A new 32×32 image per call (consumers may dispose what they get), BGRA from the planar R, G, B planes.</summary>
        private static MLImage ToImage(byte[] planar)
        {
            const int pixels = 32 * 32;
            var bgra = new byte[pixels * 4];
            for (int i = 0; i < pixels; i++)
            {
                bgra[(i * 4) + 0] = planar[(2 * pixels) + i];
                bgra[(i * 4) + 1] = planar[pixels + i];
                bgra[(i * 4) + 2] = planar[i];
                bgra[(i * 4) + 3] = 255;
            }

            return MLImage.CreateFromPixels(32, 32, MLPixelFormat.Bgra32, bgra);
        }

        private Cifar10Source.Record Current => _position >= 0 ? _records.Current : throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");
    }
}
