namespace MLNet.KnnLinear;

/// <summary>
/// One step of a hyperparameter sweep, reported through <see cref="IProgress{T}"/> after each fit and evaluation.
/// </summary>
/// <param name="Candidate">The candidate just evaluated.</param>
/// <param name="Fold">The fold, 1-based.</param>
/// <param name="Folds">The number of folds (1 for a train/validation split).</param>
/// <param name="Accuracy">The candidate's micro-accuracy on that fold's validation rows.</param>
/// <param name="Completed">Fits done so far in the whole sweep, this one included.</param>
/// <param name="Total">Fits the whole sweep makes (candidates × folds).</param>
public sealed record SweepProgress(SweepCandidate Candidate, int Fold, int Folds, double Accuracy, int Completed, int Total)
{
    /// <inheritdoc/>
    public override string ToString()
        => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Candidate.Name}: fold {Fold}/{Folds} accuracy {Accuracy:P2} ({Completed}/{Total})");
}
