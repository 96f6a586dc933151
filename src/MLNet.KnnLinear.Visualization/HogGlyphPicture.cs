namespace MLNet.KnnLinear.Visualization;

/// <summary>
/// The oriented-gradient glyph picture of scikit-image's <c>hog(visualize=True)</c>, drawn at a larger scale: per
/// cell and orientation bin, a line through the cell centre at the bin's mid angle + 90° (the edge direction), its
/// brightness adding the cell's histogram value; the sum is scaled so the brightest pixel is white.
/// </summary>
internal static class HogGlyphPicture
{
    public static RgbPicture Draw(HogCellHistograms cells, int scale)
    {
        int height = cells.CellsDown * cells.CellHeight * scale;
        int width = cells.CellsAcross * cells.CellWidth * scale;
        var canvas = new float[height * width];
        double period = cells.SignedGradients ? 2 * Math.PI : Math.PI;
        double radius = (Math.Min(cells.CellHeight, cells.CellWidth) * scale / 2.0) - 1;
        for (int r = 0; r < cells.CellsDown; r++)
        {
            for (int c = 0; c < cells.CellsAcross; c++)
            {
                double centreRow = ((r * cells.CellHeight) + (cells.CellHeight / 2.0)) * scale;
                double centreColumn = ((c * cells.CellWidth) + (cells.CellWidth / 2.0)) * scale;
                for (int o = 0; o < cells.Orientations; o++)
                {
                    float value = cells[r, c, o];
                    if (value <= 0)
                    {
                        continue;
                    }

                    double mid = period * (o + 0.5) / cells.Orientations;
                    double dr = radius * Math.Sin(mid);
                    double dc = radius * Math.Cos(mid);
                    Line(canvas, width, height, (int)(centreRow - dc), (int)(centreColumn + dr), (int)(centreRow + dc), (int)(centreColumn - dr), value);
                }
            }
        }

        float max = canvas.Length == 0 ? 0 : canvas.Max();
        var picture = new RgbPicture(width, height, background: 0);
        for (int i = 0; i < canvas.Length; i++)
        {
            byte level = max > 0 ? (byte)Math.Round(255 * canvas[i] / max) : (byte)0;
            picture.Set(i % width, i / width, level, level, level);
        }

        return picture;
    }

    /// <summary>Bresenham's line from (r0, c0) to (r1, c1), adding <paramref name="value"/> to every pixel on it that is inside (as skimage.draw.line).</summary>
    private static void Line(float[] canvas, int width, int height, int r0, int c0, int r1, int c1, float value)
    {
        int dr = Math.Abs(r1 - r0);
        int dc = Math.Abs(c1 - c0);
        int stepR = r0 < r1 ? 1 : -1;
        int stepC = c0 < c1 ? 1 : -1;
        int error = dc - dr;
        while (true)
        {
            if ((uint)r0 < (uint)height && (uint)c0 < (uint)width)
            {
                canvas[(r0 * width) + c0] += value;
            }

            if (r0 == r1 && c0 == c1)
            {
                return;
            }

            int twice = 2 * error;
            if (twice > -dr)
            {
                error -= dr;
                c0 += stepC;
            }

            if (twice < dc)
            {
                error += dc;
                r0 += stepR;
            }
        }
    }
}
