using System.Globalization;
using System.Security;
using System.Text;

namespace MLNet.KnnLinear.ModelSelection;

/// <summary>Draws a <see cref="SweepResult"/> as SVG: fold dots, the mean line, ± one standard deviation bars, axes with ticks.</summary>
internal static class SweepPlotSvg
{
    private const double Width = 800;
    private const double Height = 500;
    private const double Left = 80;
    private const double Right = 30;
    private const double Top = 50;
    private const double Bottom = 60;

    public static string Render(SweepResult result, string parameterName, string title, bool logScale)
    {
        double X(double v) => logScale ? Math.Log10(v) : v;
        var xs = result.Candidates.Select(c => X(c.Candidate.Parameter)).ToArray();
        var ys = result.Candidates.SelectMany(c => c.FoldAccuracies.Concat([c.Mean - c.StandardDeviation, c.Mean + c.StandardDeviation])).ToArray();
        (double xMin, double xMax) = Pad(xs.Min(), xs.Max());
        (double yMin, double yMax) = Pad(ys.Min(), ys.Max());
        double Px(double x) => Left + ((x - xMin) / (xMax - xMin) * (Width - Left - Right));
        double Py(double y) => Height - Bottom - ((y - yMin) / (yMax - yMin) * (Height - Top - Bottom));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"13\">\n");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"28\" text-anchor=\"middle\" font-size=\"17\" font-weight=\"bold\">{Escape(title)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n");
        foreach (double x in xs.Distinct())
        {
            string label = logScale ? Math.Pow(10, x).ToString("G3", CultureInfo.InvariantCulture) : x.ToString("G4", CultureInfo.InvariantCulture);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Px(x):F1}\" y1=\"{Height - Bottom}\" x2=\"{Px(x):F1}\" y2=\"{Height - Bottom + 5}\" stroke=\"black\"/><text x=\"{Px(x):F1}\" y=\"{Height - Bottom + 20}\" text-anchor=\"middle\">{label}</text>\n");
        }

        for (int i = 0; i <= 5; i++)
        {
            double y = yMin + ((yMax - yMin) * i / 5);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left - 5}\" y1=\"{Py(y):F1}\" x2=\"{Width - Right}\" y2=\"{Py(y):F1}\" stroke=\"#ddd\"/><text x=\"{Left - 8}\" y=\"{Py(y) + 4:F1}\" text-anchor=\"end\">{y:P1}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 15}\" text-anchor=\"middle\">{Escape(parameterName)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(20,{(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">validation accuracy</text>\n");
        foreach (var c in result.Candidates)
        {
            double px = Px(X(c.Candidate.Parameter));
            foreach (double a in c.FoldAccuracies)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{px:F1}\" cy=\"{Py(a):F1}\" r=\"4\" fill=\"steelblue\" fill-opacity=\"0.6\"/>\n");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{px:F1}\" y1=\"{Py(c.Mean - c.StandardDeviation):F1}\" x2=\"{px:F1}\" y2=\"{Py(c.Mean + c.StandardDeviation):F1}\" stroke=\"darkorange\" stroke-width=\"2\"/>\n");
        }

        string points = string.Join(" ", result.Candidates.Select(c => string.Create(CultureInfo.InvariantCulture, $"{Px(X(c.Candidate.Parameter)):F1},{Py(c.Mean):F1}")));
        svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"darkorange\" stroke-width=\"2\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right - 5}\" y=\"{Top + 15}\" text-anchor=\"end\" fill=\"darkorange\">mean ± std (best: {Escape(result.Best.Candidate.Name)}, {result.Best.Mean:P2})</text>\n");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static (double Min, double Max) Pad(double min, double max)
    {
        double span = max - min;
        double pad = span > 0 ? span * 0.08 : Math.Max(Math.Abs(min) * 0.05, 0.5);
        return (min - pad, max + pad);
    }

    private static string Escape(string text) => SecurityElement.Escape(text) ?? string.Empty;
}
