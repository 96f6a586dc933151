using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.ModelRunner;

/// <summary>
/// The exact bits of some columns of a data view, row by row, so outputs of two runs (or two processes) can be
/// compared for bit identity. Reads Single/Double/Int32/UInt32/Boolean/text scalars, keys and vectors of Single and Int32.
/// </summary>
public static class ColumnDump
{
    /// <summary>The bytes of <paramref name="columns"/> for every row, one array per row, keyed by row id.</summary>
    public static List<(DataViewRowId Id, byte[] Bytes)> Rows(IDataView data, params string[] columns)
    {
        var schemaColumns = columns.Select(c => data.Schema.GetColumnOrNull(c) ?? throw new ArgumentException($"No column '{c}'.")).ToArray();
        var result = new List<(DataViewRowId, byte[])>();
        using var cursor = data.GetRowCursor(schemaColumns);
        var id = cursor.GetIdGetter();
        var readers = schemaColumns.Select(c => Reader(cursor, c)).ToArray();
        while (cursor.MoveNext())
        {
            DataViewRowId rowId = default;
            id(ref rowId);
            result.Add((rowId, RowBytes(readers)));
        }

        return result;
    }

    /// <summary>Byte writers for the given columns of <paramref name="row"/>; call <see cref="RowBytes"/> per row.</summary>
    public static Action<BinaryWriter>[] Readers(DataViewRow row, params string[] columns)
        => columns.Select(c => Reader(row, row.Schema[c])).ToArray();

    public static byte[] RowBytes(Action<BinaryWriter>[] readers)
    {
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            foreach (var read in readers)
            {
                read(writer);
            }
        }

        return stream.ToArray();
    }

    private static Action<BinaryWriter> Reader(DataViewRow row, DataViewSchema.Column column)
    {
        switch (column.Type)
        {
            case VectorDataViewType { ItemType: NumberDataViewType n } when n == NumberDataViewType.Single:
                return Vector<float>(row, column, (w, v) => w.Write(v));
            case VectorDataViewType { ItemType: NumberDataViewType n } when n == NumberDataViewType.Int32:
                return Vector<int>(row, column, (w, v) => w.Write(v));
            case KeyDataViewType:
                return Scalar<uint>(row, column, (w, v) => w.Write(v));
            case NumberDataViewType n when n == NumberDataViewType.Single:
                return Scalar<float>(row, column, (w, v) => w.Write(v));
            case NumberDataViewType n when n == NumberDataViewType.Double:
                return Scalar<double>(row, column, (w, v) => w.Write(v));
            case NumberDataViewType n when n == NumberDataViewType.Int32:
                return Scalar<int>(row, column, (w, v) => w.Write(v));
            case NumberDataViewType n when n == NumberDataViewType.UInt32:
                return Scalar<uint>(row, column, (w, v) => w.Write(v));
            case BooleanDataViewType:
                return Scalar<bool>(row, column, (w, v) => w.Write(v));
            case TextDataViewType:
                return Scalar<ReadOnlyMemory<char>>(row, column, (w, v) => w.Write(v.ToString()));
            default:
                throw new NotSupportedException($"Column '{column.Name}' of type {column.Type} cannot be dumped.");
        }
    }

    /// <summary>The vector's length, then each value (dense), as <paramref name="write"/> writes one.</summary>
    private static Action<BinaryWriter> Vector<T>(DataViewRow row, DataViewSchema.Column column, Action<BinaryWriter, T> write)
    {
        var getter = row.GetGetter<VBuffer<T>>(column);
        VBuffer<T> value = default;
        return w =>
        {
            getter(ref value);
            w.Write(value.Length);
            foreach (var item in value.DenseValues())
            {
                write(w, item);
            }
        };
    }

    private static Action<BinaryWriter> Scalar<T>(DataViewRow row, DataViewSchema.Column column, Action<BinaryWriter, T> write)
    {
        var getter = row.GetGetter<T>(column);
        T value = default!;
        return w =>
        {
            getter(ref value);
            write(w, value);
        };
    }
}
