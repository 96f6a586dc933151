namespace MLNet.KnnLinear.Plotting;

/// <summary>
/// The raster the PNG plots are drawn on: row-major RGB bytes, saved with <see cref="PngEncoder"/>. Every drawing
/// call is clipped to the canvas, so callers never check bounds; pixel (x, y) covers [x, x + 1) × [y, y + 1), its
/// centre is (x + ½, y + ½).
/// </summary>
internal sealed class RgbCanvas
{
    private readonly byte[] _rgb;

    public RgbCanvas(int width, int height, Rgb background)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
        _rgb = new byte[checked(width * height * 3)];
        FillRectangle(0, 0, width, height, background);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The colour at a pixel (for tests and for drawing that depends on what is underneath).</summary>
    public Rgb this[int x, int y]
    {
        get
        {
            int at = Index(x, y);
            return new(_rgb[at], _rgb[at + 1], _rgb[at + 2]);
        }
    }

    /// <summary>
    /// Mixes <paramref name="colour"/> into a pixel by <paramref name="coverage"/> (0 leaves it, 1 replaces it). This is
    /// how soft edges and translucent marks are drawn; pixels outside the canvas are ignored.
    /// </summary>
    public void Blend(int x, int y, Rgb colour, double coverage)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height || !(coverage > 0))
        {
            return;
        }

        int at = Index(x, y);
        if (coverage >= 1)
        {
            _rgb[at] = colour.R;
            _rgb[at + 1] = colour.G;
            _rgb[at + 2] = colour.B;
            return;
        }

        _rgb[at] = Rgb.Mix(_rgb[at], colour.R, coverage);
        _rgb[at + 1] = Rgb.Mix(_rgb[at + 1], colour.G, coverage);
        _rgb[at + 2] = Rgb.Mix(_rgb[at + 2], colour.B, coverage);
    }

    /// <summary>Fills whole pixels: crisp axes, ticks, grid lines and matrix cells, where soft edges would only blur.</summary>
    public void FillRectangle(int left, int top, int width, int height, Rgb colour)
    {
        int x0 = Math.Max(left, 0);
        int y0 = Math.Max(top, 0);
        int x1 = Math.Min(left + width, Width);
        int y1 = Math.Min(top + height, Height);
        for (int y = y0; y < y1; y++)
        {
            for (int x = x0; x < x1; x++)
            {
                int at = Index(x, y);
                _rgb[at] = colour.R;
                _rgb[at + 1] = colour.G;
                _rgb[at + 2] = colour.B;
            }
        }
    }

    public void SavePng(string path) => PngEncoder.WriteRgb(path, _rgb, Width, Height);

    private int Index(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"Pixel ({x}, {y}) is outside the {Width} × {Height} canvas.");
        }

        return ((y * Width) + x) * 3;
    }
}
