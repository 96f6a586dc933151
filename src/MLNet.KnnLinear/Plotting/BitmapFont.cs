namespace MLNet.KnnLinear.Plotting;

/// <summary>
/// A font as pre-rendered glyphs: per character an advance, the offset of its bitmap from the pen (left) and from the
/// top of the line (top), and 4-bit coverage (16 levels of anti-aliasing), two pixels per byte. The tables are
/// generated (see <c>Fonts/generate_fonts.py</c>); characters outside them draw as '?'.
/// </summary>
internal sealed class BitmapFont
{
    private readonly Dictionary<char, Glyph> _glyphs;
    private readonly byte[] _coverage;
    private readonly Glyph _fallback;

    /// <param name="ascent">Pixels from the top of a line to the baseline.</param>
    /// <param name="descent">Pixels from the baseline to the bottom of a line.</param>
    /// <param name="characters">The characters, in the order of <paramref name="metrics"/>.</param>
    /// <param name="metrics">Five numbers per character: advance, left, top, width, height.</param>
    /// <param name="coverage">The glyph bitmaps one after the other, each starting on a byte.</param>
    public BitmapFont(int ascent, int descent, string characters, ReadOnlySpan<short> metrics, ReadOnlySpan<byte> coverage)
    {
        if (metrics.Length != characters.Length * 5)
        {
            throw new ArgumentException($"Expected 5 metrics for each of the {characters.Length} characters, got {metrics.Length}.", nameof(metrics));
        }

        Ascent = ascent;
        Descent = descent;
        _coverage = coverage.ToArray();
        _glyphs = new Dictionary<char, Glyph>(characters.Length);
        int offset = 0;
        for (int i = 0; i < characters.Length; i++)
        {
            var m = metrics.Slice(i * 5, 5);
            var glyph = new Glyph(m[0], m[1], m[2], m[3], m[4], offset);
            _glyphs.Add(characters[i], glyph);
            offset += ((glyph.Width * glyph.Height) + 1) / 2;
        }

        if (offset != _coverage.Length)
        {
            throw new ArgumentException($"The metrics describe {offset} bytes of glyph bitmaps, the table has {_coverage.Length}.", nameof(coverage));
        }

        _fallback = _glyphs['?'];
    }

    public int Ascent { get; }

    public int Descent { get; }

    /// <summary>The height of one line of text: ascent plus descent.</summary>
    public int LineHeight => Ascent + Descent;

    /// <summary>The width of <paramref name="text"/> in pixels: the sum of the advances.</summary>
    public int Measure(string text)
    {
        int width = 0;
        foreach (char c in text)
        {
            width += GlyphOf(c).Advance;
        }

        return width;
    }

    /// <summary>
    /// <paramref name="text"/> itself when it fits in <paramref name="maxWidth"/> pixels, else its longest prefix that
    /// fits with "…" after it (so long class names or titles never run into their neighbours).
    /// </summary>
    public string Fit(string text, int maxWidth)
    {
        if (Measure(text) <= maxWidth)
        {
            return text;
        }

        for (int length = text.Length - 1; length > 0; length--)
        {
            string shortened = string.Concat(text.AsSpan(0, length).TrimEnd(), "…");
            if (Measure(shortened) <= maxWidth)
            {
                return shortened;
            }
        }

        return "…";
    }

    /// <summary>
    /// Calls <paramref name="plot"/> for every inked pixel of <paramref name="text"/> laid out from (0, 0), the top-left
    /// of the line, with its coverage in (0, 1]; the caller places (and possibly rotates) the pixels.
    /// </summary>
    public void Rasterize(string text, Action<int, int, double> plot)
    {
        int pen = 0;
        foreach (char c in text)
        {
            var glyph = GlyphOf(c);
            for (int y = 0; y < glyph.Height; y++)
            {
                for (int x = 0; x < glyph.Width; x++)
                {
                    int index = (y * glyph.Width) + x;
                    int packed = _coverage[glyph.Offset + (index / 2)];
                    int level = index % 2 == 0 ? packed >> 4 : packed & 0x0F;
                    if (level > 0)
                    {
                        plot(pen + glyph.Left + x, glyph.Top + y, level / 15.0);
                    }
                }
            }

            pen += glyph.Advance;
        }
    }

    private Glyph GlyphOf(char c) => _glyphs.TryGetValue(c, out var glyph) ? glyph : _fallback;

    private readonly record struct Glyph(int Advance, int Left, int Top, int Width, int Height, int Offset);
}
