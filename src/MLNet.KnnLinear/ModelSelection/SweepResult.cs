using System.Globalization;
using System.Text;
using MLNet.KnnLinear.ModelSelection;

namespace MLNet.KnnLinear;

/// <summary>
/// The outcome of a sweep: every candidate's per-fold accuracies, the best one and a text table. The plot is
/// <c>SavePlot</c> in the MLNet.KnnLinear.Visualization package.
/// </summary>
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
}
