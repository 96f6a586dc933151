namespace MLNet.KnnLinear;

/// <summary>
/// One step of a hyperparameter sweep, reported through <see cref="IProgress{T}"/> after each fit and evaluation.
/// </summary>
/// <param name="Candidate">The candidate just evaluated.</param>
/// <param name="Fold">The fold, 1-based.</param>
/// <param name="Folds">The number of folds (1 for a train/validation split).</param>
/// <param name="Metric">What the sweep scores by.</param>
/// <param name="Value">The candidate's value of <paramref name="Metric"/> on that fold's validation rows.</param>
/// <param name="Completed">Fits done so far in the whole sweep, this one included.</param>
/// <param name="Total">Fits the whole sweep makes (candidates × folds).</param>
public sealed record SweepProgress(SweepCandidate Candidate, int Fold, int Folds, SweepMetric Metric, double Value, int Completed, int Total)
{
    /// <inheritdoc/>
    public override string ToString()
        => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Candidate.Name}: fold {Fold}/{Folds} {Metric.Name} {Metric.Format(Value)} ({Completed}/{Total})");
}
