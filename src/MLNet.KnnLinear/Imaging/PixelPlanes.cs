using System.Numerics.Tensors;

namespace MLNet.KnnLinear.Imaging;

/// <summary>
/// One image as planes (channel-major, each plane row-major) in the element type it came in: bytes for images and
/// Byte vectors, floats for Single vectors. Featurizers read it a strip of rows at a time, so their float scratch
/// follows the strip, not the image: a byte image is never widened to floats as a whole.
/// </summary>
internal readonly ref struct PixelPlanes
{
    private readonly ReadOnlySpan<byte> _bytes;
    private readonly ReadOnlySpan<float> _singles;

    public PixelPlanes(ReadOnlySpan<byte> planes, int channels, int height, int width)
    {
        _bytes = planes[..checked(channels * height * width)];
        (Channels, Height, Width) = (channels, height, width);
    }

    public PixelPlanes(ReadOnlySpan<float> planes, int channels, int height, int width)
    {
        _singles = planes[..checked(channels * height * width)];
        (Channels, Height, Width, IsSingle) = (channels, height, width, true);
    }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    /// <summary>Floats already: rows can be read in place (<see cref="SingleRows"/>).</summary>
    public bool IsSingle { get; }

    /// <summary>Rows [<paramref name="firstRow"/>, + <paramref name="rows"/>) of a Single image's channel, in place.</summary>
    public ReadOnlySpan<float> SingleRows(int channel, int firstRow, int rows)
        => _singles.Slice(Offset(channel, firstRow), rows * Width);

    /// <summary>Rows [<paramref name="firstRow"/>, + <paramref name="rows"/>) of a channel as floats on the pixels' own scale (0–255 for bytes).</summary>
    public void ReadRows(int channel, int firstRow, int rows, Span<float> destination)
    {
        int length = rows * Width;
        if (IsSingle)
        {
            _singles.Slice(Offset(channel, firstRow), length).CopyTo(destination);
        }
        else
        {
            TensorPrimitives.ConvertTruncating(_bytes.Slice(Offset(channel, firstRow), length), destination[..length]);
        }
    }

    /// <summary>
    /// Rows of a channel as floats: in place for a Single image, else widened into <paramref name="buffer"/>.
    /// </summary>
    public ReadOnlySpan<float> Rows(int channel, int firstRow, int rows, Span<float> buffer)
    {
        if (IsSingle)
        {
            return SingleRows(channel, firstRow, rows);
        }

        ReadRows(channel, firstRow, rows, buffer);
        return buffer[..(rows * Width)];
    }

    private int Offset(int channel, int row) => (((channel * Height) + row) * Width);
}
