namespace MLNet.KnnLinear;

/// <summary>How one candidate scored on each validation fold (the sweep's <see cref="SweepResult.Metric"/>), with mean and sample standard deviation.</summary>
public sealed class CandidateResult
{
    internal CandidateResult(SweepCandidate candidate, double[] foldValues)
    {
        Candidate = candidate;
        FoldValues = foldValues;
        Mean = foldValues.Average();
        StandardDeviation = foldValues.Length < 2
            ? 0
            : Math.Sqrt(foldValues.Sum(a => (a - Mean) * (a - Mean)) / (foldValues.Length - 1));
    }

    /// <summary>The candidate.</summary>
    public SweepCandidate Candidate { get; }

    /// <summary>The metric's value on each fold's validation rows, in fold order.</summary>
    public IReadOnlyList<double> FoldValues { get; }

    /// <summary>The metric's value per fold (0.1.0's name, from when sweeps scored micro-accuracy only).</summary>
    [Obsolete("Use FoldValues: a sweep scores the metric it is given (SweepResult.Metric), not always accuracy.")]
    public IReadOnlyList<double> FoldAccuracies => FoldValues;

    /// <summary>Mean of the metric over the folds.</summary>
    public double Mean { get; }

    /// <summary>Sample standard deviation of the fold values (0 with one fold).</summary>
    public double StandardDeviation { get; }
}
