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
/// An input column bound to a fixed image shape. Its readers copy a row's image into planar floats (Channels planes
/// of Height × Width, on the pixels' own scale: 0–255 for bytes and images), checking each image.
/// </summary>
internal sealed record ImageColumn(DataViewSchema.Column Column, ImageColumnKind Kind, int Height, int Width, int Channels, PixelLayout Layout)
{
    public int PlaneLength => Height * Width;

    public int Length => Channels * Height * Width;

    /// <summary>Returns an action that copies the current row's image of <paramref name="row"/> into a span of <see cref="Length"/> floats.</summary>
    public ImageReader CreateReader(DataViewRow row) => Kind switch
    {
        ImageColumnKind.Image => new MLImageReader(this, row.GetGetter<MLImage>(Column)),
        ImageColumnKind.Bytes => new VectorReader<byte>(this, row.GetGetter<VBuffer<byte>>(Column)),
        _ => new VectorReader<float>(this, row.GetGetter<VBuffer<float>>(Column)),
    };
}

/// <summary>Reads one row's image into planar floats.</summary>
internal abstract class ImageReader
{
    public abstract void Read(Span<float> planes);
}

/// <summary>MLImage (Bgra32 or Rgba32, 4 bytes per pixel) to planar R, G, B. The image is read, never disposed: it belongs to the upstream transform.</summary>
internal sealed class MLImageReader(ImageColumn column, ValueGetter<MLImage> getter) : ImageReader
{
    private MLImage? _image;

    public override void Read(Span<float> planes)
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
        if (pixels.Length < plane * 4)
        {
            throw new InvalidOperationException($"Image column '{column.Column.Name}' holds an image with {pixels.Length} pixel bytes; expected {plane * 4}.");
        }

        for (int i = 0; i < plane; i++)
        {
            planes[i] = pixels[(4 * i) + red];
            planes[plane + i] = pixels[(4 * i) + 1];
            planes[(2 * plane) + i] = pixels[(4 * i) + blue];
        }
    }
}

/// <summary>A pixel vector (planar or interleaved) to planar floats; Single values must be finite.</summary>
internal sealed class VectorReader<T>(ImageColumn column, ValueGetter<VBuffer<T>> getter) : ImageReader
    where T : unmanaged, System.Numerics.INumberBase<T>
{
    private VBuffer<T> _buffer;
    private T[] _dense = []; // only for sparse vectors

    public override void Read(Span<float> planes)
    {
        getter(ref _buffer);
        if (_buffer.Length != column.Length)
        {
            throw new InvalidOperationException($"Pixel column '{column.Column.Name}' holds a vector of {_buffer.Length} values; expected {column.Length}.");
        }

        // Dense vectors (the usual case) are read in place; sparse ones are expanded once.
        ReadOnlySpan<T> values = _buffer.GetValues();
        if (!_buffer.IsDense)
        {
            if (_dense.Length != column.Length)
            {
                _dense = new T[column.Length];
            }

            _buffer.CopyTo(_dense);
            values = _dense;
        }

        int plane = column.PlaneLength;
        int channels = column.Channels;
        bool interleaved = column.Layout == PixelLayout.Interleaved && channels > 1;
        for (int c = 0; c < channels; c++)
        {
            var destination = planes.Slice(c * plane, plane);
            for (int i = 0; i < plane; i++)
            {
                destination[i] = ToSingle(values[interleaved ? (i * channels) + c : (c * plane) + i]);
            }
        }

        if (typeof(T) == typeof(float))
        {
            RequireFinite(planes[..column.Length]);
        }
    }

    private static float ToSingle(T value) => float.CreateTruncating(value);

    private void RequireFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new InvalidOperationException($"Pixel column '{column.Column.Name}' holds {values[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}; pixel values must be finite numbers.");
            }
        }
    }
}
