using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Imaging;

internal enum ImageColumnKind
{
    Image,
    Bytes,
    Singles,
}

/// <summary>
/// An input column bound to a fixed image shape. Its readers copy a row's image into an <see cref="ImageStore"/> as planes
/// (Channels planes of Height × Width, bytes for images and Byte vectors, floats for Single vectors), checking each image.
/// </summary>
internal sealed record ImageColumn(DataViewSchema.Column Column, ImageColumnKind Kind, int Height, int Width, int Channels, PixelLayout Layout)
{
    /// <summary>
    /// The largest Single pixel magnitude accepted (1e9): far above any real pixel scale (bytes, 16-bit, [0, 1]
    /// floats), and low enough that gradients, cell sums and block norms stay finite in float32.
    /// </summary>
    public const float MaxPixelMagnitude = 1e9f;

    /// <summary>The smallest Single pixel value accepted: −<see cref="MaxPixelMagnitude"/>, or 0 where the featurizer takes a square root.</summary>
    public float MinPixel { get; init; } = -MaxPixelMagnitude;

    public int PlaneLength => Height * Width;

    public int Length => Channels * Height * Width;

    /// <summary>
    /// Returns a reader that copies the current row's image of <paramref name="row"/> into a store's slot. A pixel-vector
    /// reader <paramref name="reuse"/> of the same element type (a spare block's) is bound to the row instead, so its
    /// vector buffer is not allocated again.
    /// </summary>
    public ImageReader CreateReader(DataViewRow row, ImageReader? reuse = null) => Kind switch
    {
        ImageColumnKind.Image => new MLImageReader(this, row.GetGetter<MLImage>(Column)),
        ImageColumnKind.Bytes => VectorReader<byte>.Bind(this, row.GetGetter<VBuffer<byte>>(Column), reuse),
        _ => VectorReader<float>.Bind(this, row.GetGetter<VBuffer<float>>(Column), reuse),
    };
}

/// <summary>Reads one row's image into a slot of an <see cref="ImageStore"/>, as planes of the column's element type.</summary>
internal abstract class ImageReader
{
    public abstract void Read(ImageStore store, int slot);

    /// <summary>Lets go of the row it reads (its cursor is disposed); a vector reader keeps its buffer for the next bind.</summary>
    public virtual void Detach()
    {
    }
}

/// <summary>
/// MLImage (Bgra32 or Rgba32, 4 bytes per pixel) to planar R, G, B bytes, copied at once. The last image is handed
/// back to the getter, as ML.NET's consumers do: its image transforms dispose the image they are given back (LoadImages'
/// decoded file, ResizeImages' copy), and an image never given back is left to SkiaSharp's finalizer.
/// </summary>
internal sealed class MLImageReader(ImageColumn column, ValueGetter<MLImage> getter) : ImageReader
{
    private MLImage? _image;

    public override void Read(ImageStore store, int slot)
    {
        getter(ref _image!);
        var image = _image ?? throw new InvalidOperationException($"Image column '{column.Column.Name}' holds no image in this row (a missing or unreadable file?).");
        if (image.Height != column.Height || image.Width != column.Width)
        {
            throw new InvalidOperationException($"Image column '{column.Column.Name}' holds a {image.Height} × {image.Width} (height × width) image; this featurizer was bound to {column.Height} × {column.Width}. Resize the images first (ResizeImages).");
        }

        (int red, int blue) = image.PixelFormat switch
        {
            MLPixelFormat.Bgra32 => (2, 0),
            MLPixelFormat.Rgba32 => (0, 2),
            _ => throw new InvalidOperationException($"Image column '{column.Column.Name}' holds an image of pixel format {image.PixelFormat}; Bgra32 and Rgba32 are supported."),
        };

        var pixels = image.Pixels;
        int plane = column.PlaneLength;
        if (pixels.Length < (long)plane * 4)
        {
            throw new InvalidOperationException($"Image column '{column.Column.Name}' holds an image with {pixels.Length} pixel bytes; expected {(long)plane * 4}.");
        }

        var planes = store.Planes<byte>(slot);
        var r = planes[..plane];
        var g = planes.Slice(plane, plane);
        var b = planes.Slice(2 * plane, plane);
        for (int i = 0; i < plane; i++)
        {
            r[i] = pixels[(4 * i) + red];
            g[i] = pixels[(4 * i) + 1];
            b[i] = pixels[(4 * i) + blue];
        }
    }
}

/// <summary>A pixel vector (planar or interleaved) to planes of its own element type; Single values must be finite and in the column's range.</summary>
internal sealed class VectorReader<T> : ImageReader
    where T : unmanaged, System.Numerics.INumberBase<T>
{
    private ImageColumn _column;
    private ValueGetter<VBuffer<T>>? _getter;
    private VBuffer<T> _buffer;

    private VectorReader(ImageColumn column, ValueGetter<VBuffer<T>> getter) => (_column, _getter) = (column, getter);

    /// <summary>A reader of <paramref name="getter"/>: <paramref name="reuse"/> rebound when it is one of this type, else a new one.</summary>
    public static VectorReader<T> Bind(ImageColumn column, ValueGetter<VBuffer<T>> getter, ImageReader? reuse)
    {
        if (reuse is VectorReader<T> reader)
        {
            (reader._column, reader._getter) = (column, getter);
            return reader;
        }

        return new VectorReader<T>(column, getter);
    }

    public override void Detach() => _getter = null;

    public override void Read(ImageStore store, int slot)
    {
        _getter!(ref _buffer);
        if (_buffer.Length != _column.Length)
        {
            throw new InvalidOperationException($"Pixel column '{_column.Column.Name}' holds a vector of {_buffer.Length} values; expected {_column.Length}.");
        }

        var planes = store.Planes<T>(slot);
        int plane = _column.PlaneLength;
        int channels = _column.Channels;
        if (!_buffer.IsDense)
        {
            // Sparse vectors are expanded in place, then de-interleaved through a copy only if they need it.
            _buffer.CopyTo(planes);
            if (_column.Layout == PixelLayout.Interleaved && channels > 1)
            {
                Deinterleave(planes.ToArray(), planes, plane, channels);
            }
        }
        else if (_column.Layout == PixelLayout.Planar || channels == 1)
        {
            // Already planar: one copy, no conversion.
            _buffer.GetValues()[.._column.Length].CopyTo(planes);
        }
        else
        {
            Deinterleave(_buffer.GetValues(), planes, plane, channels);
        }

        if (typeof(T) == typeof(float))
        {
            RequireInRange(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(planes));
        }
    }

    private static void Deinterleave(ReadOnlySpan<T> values, Span<T> planes, int plane, int channels)
    {
        for (int c = 0; c < channels; c++)
        {
            var destination = planes.Slice(c * plane, plane);
            for (int i = 0; i < plane; i++)
            {
                destination[i] = values[(i * channels) + c];
            }
        }
    }

    private void RequireInRange(ReadOnlySpan<float> values)
    {
        float min = _column.MinPixel;

        // Vectorised; NaN propagates through Min and Max and fails the test. Only a failing image is scanned for the slot.
        if (values.IsEmpty || (TensorPrimitives.Min(values) >= min && TensorPrimitives.Max(values) <= ImageColumn.MaxPixelMagnitude))
        {
            return;
        }

        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (!(v >= min && v <= ImageColumn.MaxPixelMagnitude))
            {
                string text = v.ToString(System.Globalization.CultureInfo.InvariantCulture);
                string expected = min == 0f
                    ? "pixel values must be finite and between 0 and 1e9 (SqrtCompression takes their square root)"
                    : "pixel values must be finite and within ±1e9";
                throw new InvalidOperationException($"Pixel column '{_column.Column.Name}' holds {text} at slot {i} (planar order); {expected}.");
            }
        }
    }
}
