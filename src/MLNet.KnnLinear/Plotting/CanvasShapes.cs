namespace MLNet.KnnLinear.Plotting;

/// <summary>
/// Lines and round markers with anti-aliased edges, drawn by distance: a pixel's coverage is how far its centre lies
/// inside the shape, clamped to one pixel's width. That gives thick lines with round caps (so polylines join without
/// gaps) and smooth dots in a few lines, with no scan conversion; plots draw few enough shapes for the per-pixel cost
/// not to matter.
/// </summary>
internal static class CanvasShapes
{
    /// <summary>A straight line of <paramref name="thickness"/> pixels between two points (canvas coordinates), round ends.</summary>
    public static void DrawLine(this RgbCanvas canvas, double x0, double y0, double x1, double y1, double thickness, Rgb colour, double opacity = 1)
    {
        double half = thickness / 2;
        double dx = x1 - x0;
        double dy = y1 - y0;
        double lengthSquared = (dx * dx) + (dy * dy);
        Cover(canvas, Math.Min(x0, x1) - half, Math.Min(y0, y1) - half, Math.Max(x0, x1) + half, Math.Max(y0, y1) + half, colour, opacity, (px, py) =>
        {
            // Distance from the pixel centre to the nearest point of the segment.
            double t = lengthSquared > 0 ? Math.Clamp((((px - x0) * dx) + ((py - y0) * dy)) / lengthSquared, 0, 1) : 0;
            double ex = px - (x0 + (t * dx));
            double ey = py - (y0 + (t * dy));
            return half - Math.Sqrt((ex * ex) + (ey * ey));
        });
    }

    /// <summary>Joins the points with lines of one thickness.</summary>
    public static void DrawPolyline(this RgbCanvas canvas, IReadOnlyList<(double X, double Y)> points, double thickness, Rgb colour)
    {
        for (int i = 1; i < points.Count; i++)
        {
            canvas.DrawLine(points[i - 1].X, points[i - 1].Y, points[i].X, points[i].Y, thickness, colour);
        }
    }

    /// <summary>A filled disc centred on (<paramref name="cx"/>, <paramref name="cy"/>), e.g. a scatter marker.</summary>
    public static void FillCircle(this RgbCanvas canvas, double cx, double cy, double radius, Rgb colour, double opacity = 1)
        => Cover(canvas, cx - radius, cy - radius, cx + radius, cy + radius, colour, opacity, (px, py) =>
        {
            double ex = px - cx;
            double ey = py - cy;
            return radius - Math.Sqrt((ex * ex) + (ey * ey));
        });

    /// <summary>
    /// Blends every pixel of the box whose centre has a signed distance inside the shape (positive inside) above −½:
    /// coverage rises linearly from 0 at ½ pixel outside the edge to 1 at ½ pixel inside.
    /// </summary>
    private static void Cover(RgbCanvas canvas, double left, double top, double right, double bottom, Rgb colour, double opacity, Func<double, double, double> inside)
    {
        int x0 = Math.Max(0, (int)Math.Floor(left - 1));
        int y0 = Math.Max(0, (int)Math.Floor(top - 1));
        int x1 = Math.Min(canvas.Width - 1, (int)Math.Ceiling(right + 1));
        int y1 = Math.Min(canvas.Height - 1, (int)Math.Ceiling(bottom + 1));
        for (int y = y0; y <= y1; y++)
        {
            for (int x = x0; x <= x1; x++)
            {
                double coverage = Math.Clamp(inside(x + 0.5, y + 0.5) + 0.5, 0, 1);
                canvas.Blend(x, y, colour, coverage * opacity);
            }
        }
    }
}
