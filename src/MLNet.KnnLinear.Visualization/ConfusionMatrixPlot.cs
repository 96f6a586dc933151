using System.Globalization;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace MLNet.KnnLinear.Visualization;

/// <summary>
/// A confusion matrix as a labelled heat map: true classes down the rows, predicted classes across the columns
/// (ML.NET's <c>ConfusionMatrix.Counts</c> layout), the count in every cell, shaded white (0) to navy (the largest
/// count) with a colour bar, and the overall accuracy in the subtitle.
/// </summary>
internal static class ConfusionMatrixPlot
{
    public static PlotModel Create(IReadOnlyList<IReadOnlyList<double>> counts, IReadOnlyList<string> names, string title)
    {
        int n = counts.Count;
        double total = counts.Sum(row => row.Sum());
        double correct = Enumerable.Range(0, n).Sum(i => counts[i][i]);
        // OxyPlot clips a title that does not fit: long ones get a smaller font instead.
        var model = new PlotModel { Title = title, TitleFontSize = Math.Clamp(18.0 * 55 / Math.Max(1, title.Length), 11, 18), Subtitle = $"accuracy {(total > 0 ? correct / total : 0).ToString("P2", CultureInfo.InvariantCulture)} of {total.ToString("N0", CultureInfo.InvariantCulture)}", Background = OxyColors.White };
        var predicted = new CategoryAxis { Position = AxisPosition.Bottom, Title = "predicted", Key = "x", GapWidth = 0, Angle = names.Max(s => s.Length) > 6 ? -45 : 0 };
        predicted.Labels.AddRange(names);
        var actual = new CategoryAxis { Position = AxisPosition.Left, Title = "true", Key = "y", GapWidth = 0, StartPosition = 1, EndPosition = 0 };
        actual.Labels.AddRange(names);
        model.Axes.Add(predicted);
        model.Axes.Add(actual);
        double max = Math.Max(1, counts.Max(row => row.Max()));
        model.Axes.Add(new LinearColorAxis { Position = AxisPosition.Right, Palette = OxyPalette.Interpolate(256, OxyColors.White, OxyColors.Navy), Minimum = 0, Maximum = max });

        var data = new double[n, n];
        for (int t = 0; t < n; t++)
        {
            for (int p = 0; p < n; p++)
            {
                data[p, t] = counts[t][p];
            }
        }

        model.Series.Add(new HeatMapSeries
        {
            X0 = 0,
            X1 = n - 1,
            Y0 = 0,
            Y1 = n - 1,
            XAxisKey = "x",
            YAxisKey = "y",
            Data = data,
            Interpolate = false,
            RenderMethod = HeatMapRenderMethod.Rectangles,
            LabelFormatString = "0",
            LabelFontSize = 0.25,
        });
        return model;
    }

    /// <summary>Checks the table and names; returns the names to draw.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<IReadOnlyList<double>> counts, IReadOnlyList<string>? classNames)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count == 0 || counts.Any(row => row is null || row.Count != counts.Count))
        {
            throw new ArgumentException($"A confusion matrix must be a non-empty square table; got {counts.Count} rows of lengths {string.Join(", ", counts.Select(r => r?.Count ?? 0))}.", nameof(counts));
        }

        for (int i = 0; i < counts.Count; i++)
        {
            for (int j = 0; j < counts.Count; j++)
            {
                if (!(counts[i][j] >= 0) || double.IsInfinity(counts[i][j]))
                {
                    throw new ArgumentOutOfRangeException(nameof(counts), counts[i][j], $"Count [{i}][{j}] must be finite and non-negative.");
                }
            }
        }

        if (classNames is not null && classNames.Count != counts.Count)
        {
            throw new ArgumentException($"{classNames.Count} class names for {counts.Count} classes.", nameof(classNames));
        }

        return classNames ?? [.. Enumerable.Range(0, counts.Count).Select(i => i.ToString(CultureInfo.InvariantCulture))];
    }
}
