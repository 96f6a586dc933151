using System.Globalization;
using System.Text;

namespace MLNet.KnnLinear;

/// <summary>The outcome of a sweep: every candidate's per-fold accuracies, the best one, a table and a plot.</summary>
public sealed class SweepResult
{
    internal SweepResult(IReadOnlyList<CandidateResult> candidates, int folds)
    {
        Candidates = candidates;
        Folds = folds;

        // Highest mean accuracy; ties go to the earlier candidate, so the order of the candidates is the tie rule.
        Best = candidates.Aggregate((best, next) => next.Mean > best.Mean ? next : best);
    }

    /// <summary>Results in the order the candidates were given.</summary>
    public IReadOnlyList<CandidateResult> Candidates { get; }

    /// <summary>The number of validation folds (1 for a single train/validation split).</summary>
    public int Folds { get; }

    /// <summary>The candidate with the highest mean validation accuracy (the first on ties).</summary>
    public CandidateResult Best { get; }

    /// <summary>A plain-text table: one row per candidate, each fold's accuracy, mean ± standard deviation; the best marked.</summary>
    public string ToTable()
    {
        var text = new StringBuilder();
        int nameWidth = Math.Max(9, Candidates.Max(c => c.Candidate.Name.Length));
        text.Append("candidate".PadRight(nameWidth));
        for (int f = 0; f < Folds; f++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  fold {f + 1,-2}");
        }

        text.AppendLine("  mean ± std");
        foreach (var result in Candidates)
        {
            text.Append(result.Candidate.Name.PadRight(nameWidth));
            foreach (double accuracy in result.FoldAccuracies)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {accuracy,7:P2}");
            }

            text.Append(CultureInfo.InvariantCulture, $"  {result.Mean:P2} ± {result.StandardDeviation:P2}");
            text.AppendLine(ReferenceEquals(result, Best) ? "  ← best" : string.Empty);
        }

        return text.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => ToTable();

    /// <summary>
    /// The lecture's cross-validation plot as a PNG: accuracy against the swept parameter, one dot per fold, the mean
    /// as a line, and the standard deviation as error bars.
    /// </summary>
    /// <param name="path">Where to write the PNG.</param>
    /// <param name="parameterName">The x axis label, e.g. "k".</param>
    /// <param name="title">The plot title.</param>
    /// <param name="logScale">Plot the parameter on a log₁₀ axis (for λ).</param>
    public void SavePlot(string path, string parameterName, string title = "Cross-validation", bool logScale = false)
    {
        double X(double value) => logScale ? Math.Log10(value) : value;
        var plot = new ScottPlot.Plot();
        foreach (var result in Candidates)
        {
            var xs = Enumerable.Repeat(X(result.Candidate.Parameter), result.FoldAccuracies.Count).ToArray();
            var dots = plot.Add.ScatterPoints(xs, result.FoldAccuracies.ToArray());
            dots.Color = ScottPlot.Colors.SteelBlue.WithAlpha(0.6);
        }

        var means = Candidates.Select(c => c.Mean).ToArray();
        var parameters = Candidates.Select(c => X(c.Candidate.Parameter)).ToArray();
        var line = plot.Add.Scatter(parameters, means);
        line.Color = ScottPlot.Colors.DarkOrange;
        line.LegendText = "mean";
        var bars = plot.Add.ErrorBar(parameters, means, Candidates.Select(c => c.StandardDeviation).ToArray());
        bars.Color = ScottPlot.Colors.DarkOrange;
        plot.Title(title);
        plot.XLabel(logScale ? $"log10({parameterName})" : parameterName);
        plot.YLabel("validation accuracy");
        plot.SavePng(path, 800, 500);
    }
}
