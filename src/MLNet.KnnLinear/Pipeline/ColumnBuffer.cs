using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// Keeps the values of one passed-through column for each row of a block, so that a cursor can read a block of rows
/// ahead (to compute them together) with a single source cursor and still serve every row's passed-through values.
/// Vectors, text and images are copied (a source may reuse or dispose them on the next row); other values are kept
/// as they are.
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
                : raw == typeof(MLImage)
                    ? typeof(ImageColumnBuffer)
                    : typeof(ValueColumnBuffer<>).MakeGenericType(raw);
        return (ColumnBuffer)Activator.CreateInstance(type, cursor, column, capacity)!;
    }

    /// <summary>Stores the cursor's current value in <paramref name="slot"/>.</summary>
    public abstract void Capture(int slot);

    /// <summary>A getter of the value in slot <paramref name="slot"/>().</summary>
    public abstract Delegate CreateGetter(Func<int> slot);

    /// <summary>Releases what the buffer owns (its images) when the cursor is disposed.</summary>
    public virtual void Release()
    {
    }
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

/// <summary>
/// Images, copied: ML.NET's image transforms dispose the image they handed out when they read the next row
/// (LoadImages disposes its last image; ResizeImages passes an image of the right size down as it is), so a block
/// read ahead kept only disposed images, and a second featurizer over the same image column failed with "Object is
/// disposed". Each slot owns its copy until the slot is filled again; a consumer gets a copy of its own, as from
/// ML.NET's getters (a cache keeps every image it is given), and an image a consumer hands back is disposed.
/// </summary>
internal sealed class ImageColumnBuffer(DataViewRowCursor cursor, DataViewSchema.Column column, int capacity) : ColumnBuffer
{
    private readonly ValueGetter<MLImage> _source = cursor.GetGetter<MLImage>(column);
    private readonly MLImage?[] _values = new MLImage?[capacity];
    private MLImage? _fetched;

    public override void Capture(int slot)
    {
        // The source's own image is handed back to it on the next row (it disposes it then); the slot keeps a copy.
        _source(ref _fetched!);
        _values[slot]?.Dispose();
        _values[slot] = _fetched is null ? null : Copy(_fetched);
    }

    public override Delegate CreateGetter(Func<int> slot)
    {
        MLImage? handedOut = null;
        return (ValueGetter<MLImage>)((ref MLImage value) =>
        {
            if (value is not null && ReferenceEquals(value, handedOut))
            {
                value.Dispose();
            }

            var stored = _values[slot()];
            handedOut = stored is null ? null : Copy(stored);
            value = handedOut!;
        });
    }

    public override void Release()
    {
        for (int i = 0; i < _values.Length; i++)
        {
            _values[i]?.Dispose();
            _values[i] = null;
        }
    }

    private static MLImage Copy(MLImage image)
    {
        var copy = MLImage.CreateFromPixels(image.Width, image.Height, image.PixelFormat, image.Pixels);
        copy.Tag = image.Tag;
        return copy;
    }
}
