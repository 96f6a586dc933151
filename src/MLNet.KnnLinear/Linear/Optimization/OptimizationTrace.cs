namespace MLNet.KnnLinear;

/// <summary>
/// How training went: the objective and a first-order optimality measure (the largest entry of the gradient, or of
/// the pseudo-gradient with L1; 0 at a minimum) after each iteration, and why it stopped.
/// </summary>
public sealed class OptimizationTrace
{
    private readonly List<double> _objective = [];
    private readonly List<double> _optimality = [];
    private readonly List<double> _seconds = [];
    private readonly long _start = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>The objective after each iteration; entry 0 is the starting point.</summary>
    public IReadOnlyList<double> Objective => _objective;

    /// <summary>‖(pseudo-)gradient‖∞ after each iteration.</summary>
    public IReadOnlyList<double> Optimality => _optimality;

    /// <summary>Seconds since training started, after each iteration.</summary>
    public IReadOnlyList<double> ElapsedSeconds => _seconds;

    /// <summary>Why the optimizer stopped.</summary>
    public string? StopReason { get; internal set; }

    /// <summary>The final objective.</summary>
    public double FinalObjective => _objective.Count == 0 ? double.NaN : _objective[^1];

    internal void Add(double objective, double optimality)
    {
        _objective.Add(objective);
        _optimality.Add(optimality);
        _seconds.Add(System.Diagnostics.Stopwatch.GetElapsedTime(_start).TotalSeconds);
    }

    internal void Append(OptimizationTrace other)
    {
        _objective.AddRange(other._objective);
        _optimality.AddRange(other._optimality);
        // The other trace's clock started later (e.g. a later smoothing stage): shift its times onto this clock,
        // so ElapsedSeconds counts from the start of training across stages.
        double offset = (other._start - _start) / (double)System.Diagnostics.Stopwatch.Frequency;
        _seconds.AddRange(other._seconds.Select(s => s + offset));
        StopReason = other.StopReason;
    }
}
