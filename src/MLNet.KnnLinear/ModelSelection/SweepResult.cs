using System.Globalization;
using System.Text;
using MLNet.KnnLinear.ModelSelection;
using MLNet.KnnLinear.Plotting;

namespace MLNet.KnnLinear;

/// <summary>The outcome of a sweep: every candidate's per-fold accuracies, the best one, a table and a plot.</summary>
public sealed class SweepResult
{
    internal SweepResult(IReadOnlyList<CandidateResult> candidates, int folds)
    {
        if (candidates.Count == 0)
        {
            throw new ArgumentException("A sweep result needs at least one candidate.", nameof(candidates));
        }

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
    /// The lecture's cross-validation plot: accuracy against the swept parameter, one dot per fold, the mean as a line,
    /// and the standard deviation as error bars, with labelled axes. A path ending in ".png" gets a PNG image
    /// (800 × 500); any other path gets SVG, as before PNG was supported.
    /// </summary>
    /// <remarks>
    /// Both are drawn by this library, not ScottPlot: the only ScottPlot served here (5.1) needs SkiaSharp 3, while
    /// ML.NET's ImageAnalytics 5.0 (the image columns) needs SkiaSharp 2.88, and one process cannot load both.
    /// </remarks>
    /// <param name="path">Where to write the plot: "….png" for PNG, otherwise SVG. Its folder must exist.</param>
    /// <param name="parameterName">The x axis label, e.g. "k".</param>
    /// <param name="title">The plot title.</param>
    /// <param name="logScale">Plot the parameter on a log₁₀ axis (for λ); every parameter must then be positive.</param>
    /// <exception cref="ArgumentException">The path is empty or a folder, or a parameter is not positive on a log scale.</exception>
    /// <exception cref="DirectoryNotFoundException">The path's folder does not exist.</exception>
    public void SavePlot(string path, string parameterName, string title = "Cross-validation", bool logScale = false)
    {
        PlotFile.RequireWritablePath(path, nameof(path));
        ArgumentNullException.ThrowIfNull(parameterName);
        ArgumentNullException.ThrowIfNull(title);
        if (logScale && Candidates.FirstOrDefault(c => !(c.Candidate.Parameter > 0)) is { } bad)
        {
            throw new ArgumentException($"A log-scale plot needs positive parameters; candidate '{bad.Candidate.Name}' has {bad.Candidate.Parameter}.", nameof(logScale));
        }

        if (PlotFile.IsPng(path))
        {
            SweepPlotPng.Render(this, parameterName, title, logScale).Canvas.SavePng(path);
        }
        else
        {
            File.WriteAllText(path, SweepPlotSvg.Render(this, parameterName, title, logScale));
        }
    }
}
