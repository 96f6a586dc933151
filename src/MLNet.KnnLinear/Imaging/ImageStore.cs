using System.Runtime.InteropServices;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Imaging;

/// <summary>
/// The images of one block, each as planes in the column's element type: bytes for MLImage and Byte vectors (3 bytes
/// a colour pixel, ¾ of an RGBA image), floats for Single vectors (the vector's own size). Nothing larger is kept per
/// image: featurizers widen a strip of rows at a time (<see cref="PixelPlanes"/>).
/// </summary>
internal sealed class ImageStore
{
    private readonly ImageColumn _column;
    private readonly BlockBuffer<byte>? _bytes;
    private readonly BlockBuffer<float>? _singles;

    public ImageStore(ImageColumn column)
    {
        _column = column;
        string description = $"Image column '{column.Column.Name}'";
        if (column.Kind == ImageColumnKind.Singles)
        {
            _singles = new BlockBuffer<float>(column.Length, description);
        }
        else
        {
            _bytes = new BlockBuffer<byte>(column.Length, description);
        }
    }

    /// <summary>Bytes one stored image takes.</summary>
    public static long BytesPerImage(ImageColumn column) => (column.Kind == ImageColumnKind.Singles ? sizeof(float) : 1L) * column.Length;

    public void Reserve(int rows)
    {
        _bytes?.Reserve(rows);
        _singles?.Reserve(rows);
    }

    /// <summary>Slot <paramref name="slot"/>'s planes to write, as <typeparamref name="T"/> (byte or float, the column's element type).</summary>
    public Span<T> Planes<T>(int slot)
        where T : unmanaged
        => typeof(T) == typeof(byte) ? MemoryMarshal.Cast<byte, T>(_bytes!.Row(slot)) : MemoryMarshal.Cast<float, T>(_singles!.Row(slot));

    /// <summary>Slot <paramref name="slot"/>'s image.</summary>
    public PixelPlanes Image(int slot)
        => _singles is null
            ? new PixelPlanes(_bytes!.Row(slot), _column.Channels, _column.Height, _column.Width)
            : new PixelPlanes(_singles.Row(slot), _column.Channels, _column.Height, _column.Width);
}
