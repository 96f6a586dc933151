using System.Globalization;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear;

/// <summary>
/// What a sweep scores each candidate by on the validation rows, and which way is better: one of ML.NET's
/// multiclass metrics (<see cref="MulticlassClassificationMetrics"/>). Accuracies are maximised, log-loss minimised.
/// </summary>
public sealed class SweepMetric
{
    private readonly Func<MulticlassClassificationMetrics, double> _read;

    private SweepMetric(string name, bool higherIsBetter, int? topK, Func<MulticlassClassificationMetrics, double> read)
    {
        Name = name;
        HigherIsBetter = higherIsBetter;
        TopK = topK;
        _read = read;
    }

    /// <summary>The fraction of rows predicted right (ML.NET's <c>MicroAccuracy</c>); the default.</summary>
    public static SweepMetric MicroAccuracy { get; } = new("MicroAccuracy", true, null, m => m.MicroAccuracy);

    /// <summary>The mean over classes of each class's accuracy (ML.NET's <c>MacroAccuracy</c>): for unbalanced classes.</summary>
    public static SweepMetric MacroAccuracy { get; } = new("MacroAccuracy", true, null, m => m.MacroAccuracy);

    /// <summary>The mean negative log of the probability given to the true class (ML.NET's <c>LogLoss</c>); lower is better.</summary>
    public static SweepMetric LogLoss { get; } = new("LogLoss", false, null, m => m.LogLoss);

    /// <summary>The fraction of rows whose true class is among the <paramref name="k"/> highest scores (ML.NET's <c>TopKAccuracy</c>).</summary>
    /// <param name="k">How many of the highest scores count, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1.</exception>
    public static SweepMetric TopKAccuracy(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        return new SweepMetric(string.Create(CultureInfo.InvariantCulture, $"Top{k}Accuracy"), true, k, m => m.TopKAccuracy);
    }

    /// <summary>The metric's name as tables show it, e.g. "MicroAccuracy", "Top5Accuracy".</summary>
    public string Name { get; }

    /// <summary>True for accuracies (the best candidate has the highest mean), false for log-loss (the lowest).</summary>
    public bool HigherIsBetter { get; }

    /// <summary>k of a top-k accuracy (what <c>Evaluate</c> is asked for), else null.</summary>
    public int? TopK { get; }

    /// <summary>Whether the metric is a fraction (shown as a percentage) rather than a loss.</summary>
    public bool IsFraction => HigherIsBetter;

    /// <summary>The value as tables show it: a percentage for accuracies, four decimals for log-loss.</summary>
    public string Format(double value)
        => value.ToString(IsFraction ? "P2" : "F4", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>The metric's value in <paramref name="metrics"/>.</summary>
    internal double Read(MulticlassClassificationMetrics metrics) => _read(metrics);

    /// <summary>Whether <paramref name="candidate"/> scores better than <paramref name="incumbent"/> (ties: not better; NaN is worst).</summary>
    internal bool IsBetter(double candidate, double incumbent)
        => !double.IsNaN(candidate) && (double.IsNaN(incumbent) || (HigherIsBetter ? candidate > incumbent : candidate < incumbent));
}
