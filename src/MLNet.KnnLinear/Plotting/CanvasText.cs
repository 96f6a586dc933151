namespace MLNet.KnnLinear.Plotting;

/// <summary>Text on a canvas with a <see cref="BitmapFont"/>, placed by an anchor point and an alignment, horizontal or rotated to read upwards.</summary>
internal static class CanvasText
{
    /// <summary>
    /// Draws one line of <paramref name="text"/> so that the point chosen by <paramref name="align"/> and
    /// <paramref name="baseline"/> lies on (<paramref name="x"/>, <paramref name="y"/>). With
    /// <paramref name="upwards"/> the line is turned a quarter left, reading from bottom to top (a y axis title), and
    /// the alignment applies along and across the turned line.
    /// </summary>
    public static void DrawText(this RgbCanvas canvas, BitmapFont font, string text, int x, int y, Rgb colour,
        TextAlign align = TextAlign.Left, TextBaseline baseline = TextBaseline.Top, bool upwards = false)
    {
        // (along, across) is the anchor in the line's own coordinates: u along the text, v down from the line's top.
        int along = align switch
        {
            TextAlign.Left => 0,
            TextAlign.Center => font.Measure(text) / 2,
            _ => font.Measure(text),
        };
        int across = baseline switch
        {
            TextBaseline.Top => 0,
            TextBaseline.Middle => font.LineHeight / 2,
            _ => font.LineHeight,
        };
        font.Rasterize(text, (u, v, coverage) =>
        {
            if (upwards)
            {
                canvas.Blend(x + (v - across), y - (u - along) - 1, colour, coverage);
            }
            else
            {
                canvas.Blend(x + (u - along), y + (v - across), colour, coverage);
            }
        });
    }
}
