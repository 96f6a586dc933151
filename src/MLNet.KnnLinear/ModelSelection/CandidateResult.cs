namespace MLNet.KnnLinear;

/// <summary>How one candidate scored on each validation fold (micro-accuracy), with mean and sample standard deviation.</summary>
public sealed class CandidateResult
{
    internal CandidateResult(SweepCandidate candidate, double[] foldAccuracies)
    {
        Candidate = candidate;
        FoldAccuracies = foldAccuracies;
        Mean = foldAccuracies.Average();
        StandardDeviation = foldAccuracies.Length < 2
            ? 0
            : Math.Sqrt(foldAccuracies.Sum(a => (a - Mean) * (a - Mean)) / (foldAccuracies.Length - 1));
    }

    /// <summary>The candidate.</summary>
    public SweepCandidate Candidate { get; }

    /// <summary>Validation accuracy per fold, in fold order.</summary>
    public IReadOnlyList<double> FoldAccuracies { get; }

    /// <summary>Mean validation accuracy.</summary>
    public double Mean { get; }

    /// <summary>Sample standard deviation of the fold accuracies (0 with one fold).</summary>
    public double StandardDeviation { get; }
}
