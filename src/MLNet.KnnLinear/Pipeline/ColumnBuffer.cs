using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// Keeps the values of one passed-through column for each row of a block, so that a cursor can read a block of rows
/// ahead (to compute them together) with a single source cursor and still serve every row's passed-through values.
/// Vectors and text are copied (a source may reuse its buffers on the next row); other values are kept as they are.
/// </summary>
internal abstract class ColumnBuffer
{
    /// <summary>A buffer of <paramref name="capacity"/> rows of <paramref name="column"/>, read from <paramref name="cursor"/>.</summary>
    public static ColumnBuffer Create(DataViewRowCursor cursor, DataViewSchema.Column column, int capacity)
    {
        Type raw = column.Type.RawType;
        Type type = raw.IsGenericType && raw.GetGenericTypeDefinition() == typeof(VBuffer<>)
            ? typeof(VectorColumnBuffer<>).MakeGenericType(raw.GetGenericArguments()[0])
            : raw == typeof(ReadOnlyMemory<char>)
                ? typeof(TextColumnBuffer)
                : typeof(ValueColumnBuffer<>).MakeGenericType(raw);
        return (ColumnBuffer)Activator.CreateInstance(type, cursor, column, capacity)!;
    }

    /// <summary>Stores the cursor's current value in <paramref name="slot"/>.</summary>
    public abstract void Capture(int slot);

    /// <summary>A getter of the value in slot <paramref name="slot"/>().</summary>
    public abstract Delegate CreateGetter(Func<int> slot);
}

internal sealed class ValueColumnBuffer<T>(DataViewRowCursor cursor, DataViewSchema.Column column, int capacity) : ColumnBuffer
{
    private readonly ValueGetter<T> _source = cursor.GetGetter<T>(column);
    private readonly T[] _values = new T[capacity];

    public override void Capture(int slot) => _source(ref _values[slot]);

    public override Delegate CreateGetter(Func<int> slot) => (ValueGetter<T>)((ref T value) => value = _values[slot()]);
}

internal sealed class VectorColumnBuffer<T>(DataViewRowCursor cursor, DataViewSchema.Column column, int capacity) : ColumnBuffer
{
    private readonly ValueGetter<VBuffer<T>> _source = cursor.GetGetter<VBuffer<T>>(column);
    private readonly VBuffer<T>[] _values = new VBuffer<T>[capacity];
    private VBuffer<T> _scratch;

    public override void Capture(int slot)
    {
        _source(ref _scratch);
        _scratch.CopyTo(ref _values[slot]);
    }

    public override Delegate CreateGetter(Func<int> slot) => (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) => _values[slot()].CopyTo(ref value));
}

internal sealed class TextColumnBuffer(DataViewRowCursor cursor, DataViewSchema.Column column, int capacity) : ColumnBuffer
{
    private readonly ValueGetter<ReadOnlyMemory<char>> _source = cursor.GetGetter<ReadOnlyMemory<char>>(column);
    private readonly ReadOnlyMemory<char>[] _values = new ReadOnlyMemory<char>[capacity];

    public override void Capture(int slot)
    {
        ReadOnlyMemory<char> text = default;
        _source(ref text);
        _values[slot] = text.ToArray();
    }

    public override Delegate CreateGetter(Func<int> slot) => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = _values[slot()]);
}
