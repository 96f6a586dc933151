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
    /// The lecture's cross-validation plot as an SVG file: accuracy against the swept parameter, one dot per fold,
    /// the mean as a line, and the standard deviation as error bars, with labelled axes.
    /// </summary>
    /// <remarks>
    /// SVG rather than PNG: the only ScottPlot served here (5.1) needs SkiaSharp 3, while ML.NET's ImageAnalytics 5.0
    /// (the image columns) needs SkiaSharp 2.88, and one process cannot load both.
    /// </remarks>
    /// <param name="path">Where to write the SVG.</param>
    /// <param name="parameterName">The x axis label, e.g. "k".</param>
    /// <param name="title">The plot title.</param>
    /// <param name="logScale">Plot the parameter on a log₁₀ axis (for λ).</param>
    public void SavePlot(string path, string parameterName, string title = "Cross-validation", bool logScale = false)
        => File.WriteAllText(path, SweepPlot.Render(this, parameterName, title, logScale));
}
