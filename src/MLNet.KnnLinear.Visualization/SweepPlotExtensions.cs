using MLNet.KnnLinear.Visualization;

namespace MLNet.KnnLinear;

/// <summary>The cross-validation plot of a hyperparameter sweep (OxyPlot).</summary>
public static class SweepPlotExtensions
{
    /// <summary>
    /// Saves the cross-validation plot: validation accuracy against the swept parameter, one grey dot per fold, the mean
    /// as a line with ± one standard deviation as error bars, the best candidate as a red diamond, labelled axes and a
    /// legend. A path ending in ".png" gets an 800 × 500 PNG; any other path gets SVG.
    /// </summary>
    /// <param name="result">The sweep's result.</param>
    /// <param name="path">Where to write the plot: "….png" for PNG, otherwise SVG. Its folder must exist.</param>
    /// <param name="parameterName">The x axis label, e.g. "k".</param>
    /// <param name="title">The plot title.</param>
    /// <param name="logScale">Plot the parameter on a log₁₀ axis (for λ); every parameter must then be positive.</param>
    /// <exception cref="ArgumentException">The path is empty or a folder, or a parameter is not positive on a log scale.</exception>
    /// <exception cref="DirectoryNotFoundException">The path's folder does not exist.</exception>
    public static void SavePlot(this SweepResult result, string path, string parameterName, string title = "Cross-validation", bool logScale = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        OutputFile.RequireWritablePath(path, nameof(path));
        ArgumentNullException.ThrowIfNull(parameterName);
        ArgumentNullException.ThrowIfNull(title);
        if (logScale && result.Candidates.FirstOrDefault(c => !(c.Candidate.Parameter > 0)) is { } bad)
        {
            throw new ArgumentException($"A log-scale plot needs positive parameters; candidate '{bad.Candidate.Name}' has {bad.Candidate.Parameter}.", nameof(logScale));
        }

        ChartFile.Save(SweepPlot.Create(result, parameterName, title, logScale), path, SweepPlot.Width, SweepPlot.Height);
    }
}
