using System.Globalization;
using System.Text;
using MLNet.KnnLinear.ModelSelection;

namespace MLNet.KnnLinear;

/// <summary>
/// The outcome of a sweep: every candidate's per-fold values of the metric, the best one and a text table. The plot is
/// <c>SavePlot</c> in the MLNet.KnnLinear.Visualization package.
/// </summary>
public sealed class SweepResult
{
    internal SweepResult(IReadOnlyList<CandidateResult> candidates, int folds, SweepMetric metric)
    {
        if (candidates.Count == 0)
        {
            throw new ArgumentException("A sweep result needs at least one candidate.", nameof(candidates));
        }

        Candidates = candidates;
        Folds = folds;
        Metric = metric;

        // The best mean (highest accuracy, lowest log-loss); ties go to the earlier candidate, so the order of the
        // candidates is the tie rule.
        Best = candidates.Aggregate((best, next) => metric.IsBetter(next.Mean, best.Mean) ? next : best);
    }

    /// <summary>What the candidates were scored by.</summary>
    public SweepMetric Metric { get; }

    /// <summary>Results in the order the candidates were given.</summary>
    public IReadOnlyList<CandidateResult> Candidates { get; }

    /// <summary>The number of validation folds (1 for a single train/validation split).</summary>
    public int Folds { get; }

    /// <summary>The candidate with the best mean of <see cref="Metric"/> (the first on ties).</summary>
    public CandidateResult Best { get; }

    /// <summary>A plain-text table: one row per candidate, each fold's value of the metric (named in the header), mean ± standard deviation; the best marked.</summary>
    public string ToTable()
    {
        var text = new StringBuilder();
        int nameWidth = Math.Max(9, Candidates.Max(c => c.Candidate.Name.Length));
        text.Append("candidate".PadRight(nameWidth));
        for (int f = 0; f < Folds; f++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  fold {f + 1,-2}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  mean ± std ({Metric.Name})");
        foreach (var result in Candidates)
        {
            text.Append(result.Candidate.Name.PadRight(nameWidth));
            foreach (double value in result.FoldValues)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {Metric.Format(value),7}");
            }

            text.Append(CultureInfo.InvariantCulture, $"  {Metric.Format(result.Mean)} ± {Metric.Format(result.StandardDeviation)}");
            text.AppendLine(ReferenceEquals(result, Best) ? "  ← best" : string.Empty);
        }

        return text.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => ToTable();
}
