using System.Globalization;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Plotting;

namespace MLNet.KnnLinear;

/// <summary>
/// Draws a confusion matrix as a PNG image: true classes down the rows, predicted classes across the columns (ML.NET's
/// <see cref="ConfusionMatrix.Counts"/> layout), the count in every cell, cells shaded from white (0) to navy (the
/// largest count) with a colour bar, class names on both axes, and the overall accuracy under the title.
/// </summary>
/// <remarks>
/// Drawn by this library rather than ScottPlot: ScottPlot 5.1 needs SkiaSharp 3, ML.NET's ImageAnalytics 5.0 needs
/// SkiaSharp 2.88, and one process cannot load both.
/// </remarks>
public static class ConfusionMatrixPlot
{
    private const int Margin = 14;
    private const int MaxNameWidth = 140;
    private const int ColorBarWidth = 16;

    /// <summary>Saves <paramref name="matrix"/> (e.g. <c>metrics.ConfusionMatrix</c> from ML.NET's multiclass evaluation) as a PNG.</summary>
    /// <param name="matrix">The confusion matrix.</param>
    /// <param name="path">The PNG file to write (must end in ".png"; its folder must exist).</param>
    /// <param name="classNames">One name per class in key order (e.g. the label column's key values); null numbers them 0, 1, ….</param>
    /// <param name="title">The title above the matrix.</param>
    /// <exception cref="ArgumentException">The path is empty or does not end in ".png", or the names do not match the classes.</exception>
    /// <exception cref="DirectoryNotFoundException">The path's folder does not exist.</exception>
    public static void SavePng(this ConfusionMatrix matrix, string path, IReadOnlyList<string>? classNames = null, string title = "Confusion matrix")
    {
        ArgumentNullException.ThrowIfNull(matrix);
        SaveCountsPng(matrix.Counts, path, classNames, title);
    }

    /// <summary>Saves a square table of counts (rows: true class, columns: predicted class) as a confusion-matrix PNG.</summary>
    /// <param name="counts">counts[i][j]: how many examples of class i were predicted as class j; finite and non-negative.</param>
    /// <param name="path">The PNG file to write (must end in ".png"; its folder must exist).</param>
    /// <param name="classNames">One name per class; null numbers them 0, 1, ….</param>
    /// <param name="title">The title above the matrix.</param>
    /// <exception cref="ArgumentException">The table is empty or not square, the names do not match, or the path is empty or not ".png".</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, NaN or infinite.</exception>
    /// <exception cref="DirectoryNotFoundException">The path's folder does not exist.</exception>
    public static void SaveCountsPng(IReadOnlyList<IReadOnlyList<double>> counts, string path, IReadOnlyList<string>? classNames = null, string title = "Confusion matrix")
    {
        PlotFile.RequireWritablePath(path, nameof(path));
        if (!PlotFile.IsPng(path))
        {
            throw new ArgumentException($"Expected a path ending in .png, got '{path}'.", nameof(path));
        }

        Render(counts, classNames, title).Canvas.SavePng(path);
    }

    /// <summary>Validates the input and draws the chart (the public methods save it; tests read the cells).</summary>
    internal static MatrixRaster Render(IReadOnlyList<IReadOnlyList<double>> counts, IReadOnlyList<string>? classNames, string title)
    {
        var names = Validate(counts, classNames, title);
        int n = counts.Count;
        var regular = BuiltInFonts.Regular;
        var bold = BuiltInFonts.Bold;
        double max = Math.Max(counts.Max(row => row.Max()), double.Epsilon);
        double total = counts.Sum(row => row.Sum());
        double correct = Enumerable.Range(0, n).Sum(i => counts[i][i]);
        string subtitle = total > 0
            ? string.Create(CultureInfo.InvariantCulture, $"accuracy {correct / total * 100:F2}% of {Format(total)} examples")
            : "no examples";

        // Sizes: cells fit the longest count; column names lie flat when they fit a cell, else they read upwards.
        string[] shown = names.Select(name => regular.Fit(name, MaxNameWidth)).ToArray();
        int nameWidth = shown.Max(regular.Measure);
        int cell = Math.Max(44, counts.SelectMany(row => row).Max(c => regular.Measure(Format(c))) + 14);
        bool rotated = nameWidth > cell - 6;
        int columnLabels = rotated ? nameWidth : regular.LineHeight;
        // About one colour-bar label per 40 px of bar, so small matrices get two or three and labels never crowd.
        var barTicks = NiceTicks.Between(0, max, Math.Clamp(n * cell / 40, 2, 5));
        int barLabels = barTicks.Max(t => regular.Measure(Format(t)));

        int matrixWidth = Margin + regular.LineHeight + 8 + nameWidth + 8 + (n * cell) + 24 + ColorBarWidth + 6 + barLabels + Margin;
        int titleWidth = Math.Max(bold.Measure(title), regular.Measure(subtitle)) + (2 * Margin);
        int width = Math.Min(Math.Max(matrixWidth, titleWidth), Math.Max(matrixWidth, 1200));
        int offset = (width - matrixWidth) / 2;
        int left = offset + Margin + regular.LineHeight + 8 + nameWidth + 8;
        int top = Margin + bold.LineHeight + 4 + regular.LineHeight + 16;
        int height = top + (n * cell) + 6 + columnLabels + 10 + regular.LineHeight + Margin;

        var canvas = new RgbCanvas(width, height, Rgb.White);
        canvas.DrawText(bold, bold.Fit(title, width - (2 * Margin)), width / 2, Margin, Rgb.Ink, TextAlign.Center);
        canvas.DrawText(regular, subtitle, width / 2, Margin + bold.LineHeight + 4, Rgb.Ink, TextAlign.Center);

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                var fill = ColorScale.At(counts[i][j] / max);
                int x = left + (j * cell);
                int y = top + (i * cell);
                canvas.FillRectangle(x, y, cell, cell, fill);
                var ink = fill.Luminance < 0.5 ? Rgb.White : Rgb.Ink;
                canvas.DrawText(regular, Format(counts[i][j]), x + (cell / 2), y + (cell / 2), ink, TextAlign.Center, TextBaseline.Middle);
            }
        }

        // Thin white lines between cells keep equal neighbours apart; a grey frame closes the grid.
        for (int k = 1; k < n; k++)
        {
            canvas.FillRectangle(left + (k * cell), top, 1, n * cell, Rgb.White);
            canvas.FillRectangle(left, top + (k * cell), n * cell, 1, Rgb.White);
        }

        DrawFrame(canvas, left - 1, top - 1, (n * cell) + 2, (n * cell) + 2, Rgb.Grid);

        for (int i = 0; i < n; i++)
        {
            int middle = top + (i * cell) + (cell / 2);
            canvas.DrawText(regular, shown[i], left - 8, middle, Rgb.Ink, TextAlign.Right, TextBaseline.Middle);
            int centre = left + (i * cell) + (cell / 2);
            if (rotated)
            {
                canvas.DrawText(regular, shown[i], centre, top + (n * cell) + 6, Rgb.Ink, TextAlign.Right, TextBaseline.Middle, upwards: true);
            }
            else
            {
                canvas.DrawText(regular, shown[i], centre, top + (n * cell) + 6, Rgb.Ink, TextAlign.Center);
            }
        }

        canvas.DrawText(regular, "predicted class", left + (n * cell / 2), height - Margin, Rgb.Ink, TextAlign.Center, TextBaseline.Bottom);
        canvas.DrawText(regular, "true class", offset + Margin, top + (n * cell / 2), Rgb.Ink, TextAlign.Center, upwards: true);
        DrawColorBar(canvas, left + (n * cell) + 24, top, n * cell, max, barTicks);
        return new MatrixRaster(canvas, left, top, cell);
    }

    private static void DrawColorBar(RgbCanvas canvas, int left, int top, int height, double max, double[] ticks)
    {
        for (int y = 0; y < height; y++)
        {
            canvas.FillRectangle(left, top + y, ColorBarWidth, 1, ColorScale.At(1 - ((y + 0.5) / height)));
        }

        DrawFrame(canvas, left - 1, top - 1, ColorBarWidth + 2, height + 2, Rgb.Grid);
        foreach (double tick in ticks)
        {
            int y = top + height - 1 - (int)Math.Round(tick / max * (height - 1));
            canvas.FillRectangle(left + ColorBarWidth, y, 4, 1, Rgb.Ink);
            canvas.DrawText(BuiltInFonts.Regular, Format(tick), left + ColorBarWidth + 6, y, Rgb.Ink, baseline: TextBaseline.Middle);
        }
    }

    private static void DrawFrame(RgbCanvas canvas, int left, int top, int width, int height, Rgb colour)
    {
        canvas.FillRectangle(left, top, width, 1, colour);
        canvas.FillRectangle(left, top + height - 1, width, 1, colour);
        canvas.FillRectangle(left, top, 1, height, colour);
        canvas.FillRectangle(left + width - 1, top, 1, height, colour);
    }

    /// <summary>Whole counts as integers; weighted (fractional) counts with up to two decimals.</summary>
    private static string Format(double count) => count.ToString(count == Math.Floor(count) ? "0" : "0.##", CultureInfo.InvariantCulture);

    private static string[] Validate(IReadOnlyList<IReadOnlyList<double>> counts, IReadOnlyList<string>? classNames, string title)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(title);
        int n = counts.Count;
        if (n == 0)
        {
            throw new ArgumentException("A confusion matrix needs at least one class; the counts are empty.", nameof(counts));
        }

        for (int i = 0; i < n; i++)
        {
            if (counts[i] is null || counts[i].Count != n)
            {
                throw new ArgumentException($"Expected a square matrix: {n} rows, but row {i} has {counts[i]?.Count ?? 0} counts.", nameof(counts));
            }

            for (int j = 0; j < n; j++)
            {
                if (!double.IsFinite(counts[i][j]) || counts[i][j] < 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(counts), counts[i][j], $"Counts must be finite and non-negative; row {i}, column {j} is {counts[i][j]}.");
                }
            }
        }

        if (classNames is not null && classNames.Count != n)
        {
            throw new ArgumentException($"Expected {n} class names (one per row of the matrix), got {classNames.Count}.", nameof(classNames));
        }

        return classNames?.Select(name => name ?? string.Empty).ToArray()
            ?? Enumerable.Range(0, n).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
    }
}
