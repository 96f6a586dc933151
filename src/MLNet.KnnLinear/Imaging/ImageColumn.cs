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
/// An input column bound to a fixed image shape. Its readers copy a row's image into planar floats (Channels planes
/// of Height × Width, on the pixels' own scale: 0–255 for bytes and images), checking each image.
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

/// <summary>A pixel vector (planar or interleaved) to planar floats; Single values must be finite and in the column's range.</summary>
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
        if (column.Layout == PixelLayout.Planar || channels == 1)
        {
            // Already planar: one vectorised conversion of the whole image.
            TensorPrimitives.ConvertTruncating(values[..column.Length], planes[..column.Length]);
        }
        else
        {
            for (int c = 0; c < channels; c++)
            {
                var destination = planes.Slice(c * plane, plane);
                for (int i = 0; i < plane; i++)
                {
                    destination[i] = ToSingle(values[(i * channels) + c]);
                }
            }
        }

        if (typeof(T) == typeof(float))
        {
            RequireInRange(planes[..column.Length]);
        }
    }

    private static float ToSingle(T value) => float.CreateTruncating(value);

    private void RequireInRange(ReadOnlySpan<float> values)
    {
        float min = column.MinPixel;

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
                throw new InvalidOperationException($"Pixel column '{column.Column.Name}' holds {text} at slot {i} (planar order); {expected}.");
            }
        }
    }
}
