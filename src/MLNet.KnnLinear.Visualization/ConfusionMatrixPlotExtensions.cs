using Microsoft.ML.Data;
using MLNet.KnnLinear.Visualization;

namespace MLNet.KnnLinear;

/// <summary>The confusion matrix as a labelled heat map (OxyPlot).</summary>
public static class ConfusionMatrixPlotExtensions
{
    /// <summary>
    /// Saves <paramref name="matrix"/> (e.g. <c>metrics.ConfusionMatrix</c> from ML.NET's multiclass evaluation) as a
    /// heat map: true classes down the rows, predicted across the columns, the count in every cell, shaded white to
    /// navy with a colour bar, class names on both axes and the overall accuracy under the title. ".png" gets PNG,
    /// any other extension SVG.
    /// </summary>
    /// <param name="matrix">The confusion matrix.</param>
    /// <param name="path">The file to write (its folder must exist).</param>
    /// <param name="classNames">One name per class in key order (e.g. the label column's key values); null numbers them 0, 1, ….</param>
    /// <param name="title">The title above the matrix.</param>
    /// <exception cref="ArgumentException">The path is empty or a folder, or the names do not match the classes.</exception>
    /// <exception cref="DirectoryNotFoundException">The path's folder does not exist.</exception>
    public static void SavePlot(this ConfusionMatrix matrix, string path, IReadOnlyList<string>? classNames = null, string title = "Confusion matrix")
    {
        ArgumentNullException.ThrowIfNull(matrix);
        SaveCountsPlot(matrix.Counts, path, classNames, title);
    }

    /// <summary>Saves a square table of counts (rows: true class, columns: predicted class) as a confusion-matrix heat map.</summary>
    /// <param name="counts">counts[i][j]: how many examples of class i were predicted as class j; finite and non-negative.</param>
    /// <param name="path">The file to write: ".png" for PNG, otherwise SVG (its folder must exist).</param>
    /// <param name="classNames">One name per class; null numbers them 0, 1, ….</param>
    /// <param name="title">The title above the matrix.</param>
    /// <exception cref="ArgumentException">The table is empty or not square, the names do not match, or the path is empty or a folder.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, NaN or infinite.</exception>
    /// <exception cref="DirectoryNotFoundException">The path's folder does not exist.</exception>
    public static void SaveCountsPlot(IReadOnlyList<IReadOnlyList<double>> counts, string path, IReadOnlyList<string>? classNames = null, string title = "Confusion matrix")
    {
        OutputFile.RequireWritablePath(path, nameof(path));
        ArgumentNullException.ThrowIfNull(title);
        var names = ConfusionMatrixPlot.Validate(counts, classNames);
        int side = Math.Clamp(160 + (60 * counts.Count), 400, 1400);
        ChartFile.Save(ConfusionMatrixPlot.Create(counts, names, title), path, side + 120, side);
    }
}
