using System.Globalization;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.SimilaritySearch;

/// <summary>One row of the picture: a query's thumbnail and its neighbours', nearest first.</summary>
internal sealed record NeighbourRow(float[] Query, IReadOnlyList<NeighbourTile> Neighbours);

/// <summary>A neighbour's thumbnail and its distance to the query.</summary>
internal sealed record NeighbourTile(float[] Image, float Distance);

/// <summary>
/// The picture of a search: one row per query, the query (blue frame), a gap, then its neighbours nearest first, each
/// with its distance written under it. Drawn into an RGB raster and saved as PNG through ML.NET's MLImage, with a
/// 3 × 5-pixel digit font of its own, so no font has to be installed and no drawing library referenced.
/// </summary>
internal static class NeighborGrid
{
    private const int Border = 3;
    private const int Gap = 6;
    private const int TextScale = 2;
    private const int TextHeight = (5 * TextScale) + 6;

    private static readonly (byte R, byte G, byte B) QueryFrame = (40, 90, 200);
    private static readonly (byte R, byte G, byte B) NeighbourFrame = (170, 170, 170);
    private static readonly (byte R, byte G, byte B) Ink = (30, 30, 30);

    /// <summary>Digits and the decimal point, 3 pixels wide and 5 high, row by row ('#' is ink).</summary>
    private static readonly Dictionary<char, string> Glyphs = new()
    {
        ['0'] = "###" + "#.#" + "#.#" + "#.#" + "###",
        ['1'] = ".#." + "##." + ".#." + ".#." + "###",
        ['2'] = "###" + "..#" + "###" + "#.." + "###",
        ['3'] = "###" + "..#" + "###" + "..#" + "###",
        ['4'] = "#.#" + "#.#" + "###" + "..#" + "..#",
        ['5'] = "###" + "#.." + "###" + "..#" + "###",
        ['6'] = "###" + "#.." + "###" + "#.#" + "###",
        ['7'] = "###" + "..#" + "..#" + "..#" + "..#",
        ['8'] = "###" + "#.#" + "###" + "#.#" + "###",
        ['9'] = "###" + "#.#" + "###" + "..#" + "###",
        ['.'] = "..." + "..." + "..." + "..." + ".#.",
    };

    /// <param name="path">The PNG file to write.</param>
    /// <param name="side">The thumbnails' side in pixels (planar R, G, B floats, 0–255).</param>
    /// <param name="rows">The queries and their neighbours.</param>
    public static void Save(string path, int side, IReadOnlyList<NeighbourRow> rows)
    {
        int columns = Math.Max(1, rows.Max(r => r.Neighbours.Count));
        int tile = side + (2 * Border);
        int firstNeighbour = Gap + tile + (tile / 2);
        int rowHeight = tile + TextHeight + Gap;
        var canvas = new Canvas(firstNeighbour + (columns * (tile + Gap)), Gap + (rows.Count * rowHeight));
        for (int r = 0; r < rows.Count; r++)
        {
            int top = Gap + (r * rowHeight);
            canvas.Fill(Gap, top, tile, tile, QueryFrame);
            canvas.DrawPlanar(rows[r].Query, side, Gap + Border, top + Border);
            for (int n = 0; n < rows[r].Neighbours.Count; n++)
            {
                var neighbour = rows[r].Neighbours[n];
                int left = firstNeighbour + (n * (tile + Gap));
                canvas.Fill(left, top, tile, tile, NeighbourFrame);
                canvas.DrawPlanar(neighbour.Image, side, left + Border, top + Border);
                string distance = neighbour.Distance.ToString(neighbour.Distance < 100 ? "F2" : "F0", CultureInfo.InvariantCulture);
                canvas.Text(distance, left + (tile / 2), top + tile + 4);
            }
        }

        canvas.Save(path);
    }

    /// <summary>An RGB raster on white, row-major, 3 bytes per pixel.</summary>
    private sealed class Canvas
    {
        private readonly int _width;
        private readonly int _height;
        private readonly byte[] _rgb;

        public Canvas(int width, int height)
        {
            _width = width;
            _height = height;
            _rgb = new byte[width * height * 3];
            Array.Fill(_rgb, (byte)255);
        }

        /// <summary>A filled rectangle (a tile's frame: the image is drawn over all but its border).</summary>
        public void Fill(int left, int top, int w, int h, (byte R, byte G, byte B) colour)
        {
            for (int y = top; y < top + h; y++)
            {
                for (int x = left; x < left + w; x++)
                {
                    Set(x, y, colour.R, colour.G, colour.B);
                }
            }
        }

        /// <summary>A side × side image of planar R, G, B floats with its top-left corner at (left, top).</summary>
        public void DrawPlanar(float[] planes, int side, int left, int top)
        {
            int plane = side * side;
            for (int y = 0; y < side; y++)
            {
                for (int x = 0; x < side; x++)
                {
                    int i = (y * side) + x;
                    Set(left + x, top + y, ToByte(planes[i]), ToByte(planes[plane + i]), ToByte(planes[(2 * plane) + i]));
                }
            }
        }

        /// <summary>Digits and points centred on <paramref name="centre"/>; other characters leave a space.</summary>
        public void Text(string text, int centre, int top)
        {
            int advance = 4 * TextScale;
            int x = centre - (((text.Length * advance) - TextScale) / 2);
            foreach (char c in text)
            {
                if (Glyphs.TryGetValue(c, out string? glyph))
                {
                    for (int gy = 0; gy < 5; gy++)
                    {
                        for (int gx = 0; gx < 3; gx++)
                        {
                            if (glyph[(gy * 3) + gx] == '#')
                            {
                                Fill(x + (gx * TextScale), top + (gy * TextScale), TextScale, TextScale, Ink);
                            }
                        }
                    }
                }

                x += advance;
            }
        }

        public void Save(string path)
        {
            var rgba = new byte[_width * _height * 4];
            for (int i = 0; i < _width * _height; i++)
            {
                rgba[4 * i] = _rgb[3 * i];
                rgba[(4 * i) + 1] = _rgb[(3 * i) + 1];
                rgba[(4 * i) + 2] = _rgb[(3 * i) + 2];
                rgba[(4 * i) + 3] = 255;
            }

            using var image = MLImage.CreateFromPixels(_width, _height, MLPixelFormat.Rgba32, rgba);
            image.Save(path);
        }

        private void Set(int x, int y, byte r, byte g, byte b)
        {
            if ((uint)x < (uint)_width && (uint)y < (uint)_height)
            {
                int at = ((y * _width) + x) * 3;
                _rgb[at] = r;
                _rgb[at + 1] = g;
                _rgb[at + 2] = b;
            }
        }

        private static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(value), 0, 255);
    }
}
