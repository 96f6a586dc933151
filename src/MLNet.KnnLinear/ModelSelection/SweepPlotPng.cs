using System.Globalization;
using MLNet.KnnLinear.Plotting;

namespace MLNet.KnnLinear.ModelSelection;

/// <summary>
/// Draws a <see cref="SweepResult"/> as a raster chart (the same content as <see cref="SweepPlotSvg"/>): one dot per
/// fold, the mean as a line with ± one standard deviation bars, round y ticks in percent, an x tick per candidate.
/// The legend sits in its own row under the title, so it can never hide data.
/// </summary>
internal static class SweepPlotPng
{
    private const int Width = 800;
    private const int Height = 500;
    private const int Margin = 14;
    private const int PlotTop = 78;
    private const int PlotRight = Width - 28;
    private const int PlotBottom = Height - 62;
    private const int TickLength = 5;
    private const double DotRadius = 4.5;
    private const double LineThickness = 2.5;

    // Fold dots are translucent, so folds with the same accuracy show as a darker dot rather than one hiding another.
    private const double DotOpacity = 0.75;

    public static ChartRaster Render(SweepResult result, string parameterName, string title, bool logScale)
    {
        var regular = BuiltInFonts.Regular;
        var canvas = new RgbCanvas(Width, Height, Rgb.White);

        var values = result.Candidates.SelectMany(c => c.FoldAccuracies.Concat([c.Mean - c.StandardDeviation, c.Mean + c.StandardDeviation]));
        var y = Axis.Around(values, PlotBottom, PlotTop);
        double yStep = NiceTicks.Step(y.Max - y.Min, 6);
        var yTicks = NiceTicks.Between(y.Min, y.Max, 6);
        var yLabels = yTicks.Select(t => NiceTicks.Percent(t, yStep)).ToArray();

        // The plot's left edge leaves room for the y title and the widest tick label.
        int plotLeft = Margin + regular.LineHeight + 10 + yLabels.Max(regular.Measure) + TickLength + 4;
        var x = Axis.Around(result.Candidates.Select(c => c.Candidate.Parameter), plotLeft, PlotRight, logScale);

        DrawTitleAndLegend(canvas, result, title);
        DrawYAxis(canvas, y, yTicks, yLabels, plotLeft);
        DrawXAxis(canvas, x, result, plotLeft, parameterName, logScale);
        DrawData(canvas, result, x, y);
        return new ChartRaster(canvas, x, y);
    }

    private static void DrawTitleAndLegend(RgbCanvas canvas, SweepResult result, string title)
    {
        var bold = BuiltInFonts.Bold;
        var regular = BuiltInFonts.Regular;
        canvas.DrawText(bold, bold.Fit(title, Width - (2 * Margin)), Width / 2, Margin, Rgb.Ink, TextAlign.Center);

        // Legend row: a dot "fold accuracy", a bar with a line "mean ± std", and the winner.
        const string folds = "fold accuracy";
        const string mean = "mean ± std";
        string best = string.Create(CultureInfo.InvariantCulture, $"best: {result.Best.Candidate.Name} ({result.Best.Mean * 100:F2}%)");
        const int symbol = 22;
        const int gap = 28;
        int width = symbol + regular.Measure(folds) + gap + symbol + regular.Measure(mean) + gap + regular.Measure(best);
        int left = Math.Max(Margin, (Width - width) / 2);
        const int middle = 50;
        canvas.FillCircle(left + 8, middle, DotRadius, Rgb.SteelBlue, DotOpacity);
        canvas.DrawText(regular, folds, left + symbol, middle, Rgb.Ink, baseline: TextBaseline.Middle);
        left += symbol + regular.Measure(folds) + gap;
        canvas.DrawLine(left, middle + 0.5, left + 16, middle + 0.5, LineThickness, Rgb.DarkOrange);
        canvas.DrawLine(left + 8, middle - 6, left + 8, middle + 7, 2, Rgb.DarkOrange);
        canvas.DrawText(regular, mean, left + symbol, middle, Rgb.Ink, baseline: TextBaseline.Middle);
        left += symbol + regular.Measure(mean) + gap;
        canvas.DrawText(regular, best, left, middle, Rgb.DarkOrange, baseline: TextBaseline.Middle);
    }

    private static void DrawYAxis(RgbCanvas canvas, Axis y, double[] ticks, string[] labels, int plotLeft)
    {
        var regular = BuiltInFonts.Regular;
        for (int i = 0; i < ticks.Length; i++)
        {
            int py = (int)Math.Round(y.ToPixel(ticks[i]));
            canvas.FillRectangle(plotLeft + 1, py, PlotRight - plotLeft, 1, Rgb.Grid);
            canvas.FillRectangle(plotLeft - TickLength, py, TickLength, 1, Rgb.Ink);
            canvas.DrawText(regular, labels[i], plotLeft - TickLength - 4, py, Rgb.Ink, TextAlign.Right, TextBaseline.Middle);
        }

        canvas.FillRectangle(plotLeft, PlotTop, 1, PlotBottom - PlotTop + 1, Rgb.Ink);
        canvas.DrawText(regular, "validation accuracy", Margin, (PlotTop + PlotBottom) / 2, Rgb.Ink, TextAlign.Center, TextBaseline.Top, upwards: true);
    }

    private static void DrawXAxis(RgbCanvas canvas, Axis x, SweepResult result, int plotLeft, string parameterName, bool logScale)
    {
        var regular = BuiltInFonts.Regular;
        canvas.FillRectangle(plotLeft, PlotBottom, PlotRight - plotLeft + 1, 1, Rgb.Ink);

        // One tick per swept value. When the labels would touch, only every second (third, …) value is labelled, so
        // the labels of a dense sweep stay evenly spaced; the ticks all stay.
        double[] values = result.Candidates.Select(c => c.Candidate.Parameter).Distinct().Order().ToArray();
        string[] labels = values.Select(v => v.ToString(logScale ? "G3" : "G4", CultureInfo.InvariantCulture)).ToArray();
        int[] centres = values.Select(v => (int)Math.Round(x.ToPixel(v))).ToArray();
        int stride = Enumerable.Range(1, values.Length).First(LabelsFit);
        for (int i = 0; i < values.Length; i++)
        {
            canvas.FillRectangle(centres[i], PlotBottom + 1, 1, TickLength, Rgb.Ink);
            if (i % stride == 0)
            {
                canvas.DrawText(regular, labels[i], centres[i], PlotBottom + TickLength + 4, Rgb.Ink, TextAlign.Center);
            }
        }

        bool LabelsFit(int every)
        {
            for (int i = every; i < values.Length; i += every)
            {
                int gap = centres[i] - centres[i - every] - ((regular.Measure(labels[i]) + regular.Measure(labels[i - every])) / 2);
                if (gap < 8)
                {
                    return false;
                }
            }

            return true;
        }

        string axisTitle = logScale ? $"{parameterName} (log scale)" : parameterName;
        canvas.DrawText(regular, regular.Fit(axisTitle, PlotRight - plotLeft), (plotLeft + PlotRight) / 2, Height - Margin, Rgb.Ink, TextAlign.Center, TextBaseline.Bottom);
    }

    private static void DrawData(RgbCanvas canvas, SweepResult result, Axis x, Axis y)
    {
        // Dots first, the mean and its bars on top: the summary stays readable where many folds pile up.
        foreach (var candidate in result.Candidates)
        {
            double px = x.ToPixel(candidate.Candidate.Parameter);
            foreach (double accuracy in candidate.FoldAccuracies)
            {
                canvas.FillCircle(px, y.ToPixel(accuracy), DotRadius, Rgb.SteelBlue, DotOpacity);
            }
        }

        // Caps 10 px wide, narrower when the candidates are so close that the caps would meet.
        var columns = result.Candidates.Select(c => x.ToPixel(c.Candidate.Parameter)).Distinct().Order().ToArray();
        double cap = columns.Length < 2 ? 5 : Math.Clamp(columns.Zip(columns.Skip(1), (a, b) => b - a).Min() / 4, 2, 5);
        foreach (var candidate in result.Candidates)
        {
            double px = x.ToPixel(candidate.Candidate.Parameter);
            double low = y.ToPixel(candidate.Mean - candidate.StandardDeviation);
            double high = y.ToPixel(candidate.Mean + candidate.StandardDeviation);
            if (candidate.StandardDeviation > 0)
            {
                canvas.DrawLine(px, low, px, high, 2, Rgb.DarkOrange);
                canvas.DrawLine(px - cap, low, px + cap, low, 2, Rgb.DarkOrange);
                canvas.DrawLine(px - cap, high, px + cap, high, 2, Rgb.DarkOrange);
            }
        }

        var means = result.Candidates.Select(c => (x.ToPixel(c.Candidate.Parameter), y.ToPixel(c.Mean))).OrderBy(p => p.Item1).ToArray();
        canvas.DrawPolyline(means, LineThickness, Rgb.DarkOrange);
        foreach (var (px, py) in means)
        {
            canvas.FillCircle(px, py, 3.5, Rgb.DarkOrange);
        }
    }
}
