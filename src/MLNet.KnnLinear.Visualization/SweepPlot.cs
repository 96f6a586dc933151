using System.Globalization;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace MLNet.KnnLinear.Visualization;

/// <summary>
/// The cross-validation chart of a <see cref="SweepResult"/>: its metric (accuracy by default) against the swept parameter, one dot per fold,
/// the mean as a line with ± one standard deviation as error bars, and the best candidate marked.
/// </summary>
internal static class SweepPlot
{
    public const int Width = 800;
    public const int Height = 500;

    public static readonly OxyColor FoldColor = OxyColor.FromRgb(150, 150, 150);
    public static readonly OxyColor MeanColor = OxyColor.FromRgb(31, 119, 180);
    public static readonly OxyColor BestColor = OxyColor.FromRgb(214, 39, 40);

    public static PlotModel Create(SweepResult result, string parameterName, string title, bool logScale)
    {
        var model = new PlotModel { Title = title, Subtitle = $"best: {result.Best.Candidate.Name}, {result.Metric.Format(result.Best.Mean)} ± {result.Metric.Format(result.Best.StandardDeviation)} ({result.Folds} fold{(result.Folds == 1 ? string.Empty : "s")})", Background = OxyColors.White };
        model.Axes.Add(logScale
            ? new LogarithmicAxis { Position = AxisPosition.Bottom, Title = parameterName, MajorGridlineStyle = LineStyle.Dot, MinimumPadding = 0.05, MaximumPadding = 0.05 }
            : new LinearAxis { Position = AxisPosition.Bottom, Title = parameterName, MajorGridlineStyle = LineStyle.Dot, MinimumPadding = 0.05, MaximumPadding = 0.05 });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = result.Metric == SweepMetric.MicroAccuracy ? "validation accuracy" : $"validation {result.Metric.Name}", StringFormat = result.Metric.IsFraction ? "0%" : "0.###", MajorGridlineStyle = LineStyle.Dot, MinimumPadding = 0.05, MaximumPadding = 0.05 });
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.BottomRight, LegendBackground = OxyColor.FromAColor(220, OxyColors.White) });

        var folds = new ScatterSeries { Title = "fold", MarkerType = MarkerType.Circle, MarkerSize = 3, MarkerFill = FoldColor };
        var mean = new ScatterErrorSeries { MarkerType = MarkerType.None, ErrorBarColor = MeanColor, ErrorBarStopWidth = 4, ErrorBarStrokeThickness = 1.5 };
        var line = new LineSeries { Title = "mean ± std", Color = MeanColor, StrokeThickness = 2, MarkerType = MarkerType.Circle, MarkerSize = 3.5, MarkerFill = MeanColor };
        foreach (var candidate in result.Candidates.OrderBy(c => c.Candidate.Parameter))
        {
            double x = candidate.Candidate.Parameter;
            foreach (double value in candidate.FoldValues)
            {
                folds.Points.Add(new ScatterPoint(x, value));
            }

            mean.Points.Add(new ScatterErrorPoint(x, candidate.Mean, 0, candidate.StandardDeviation));
            line.Points.Add(new DataPoint(x, candidate.Mean));
        }

        var best = new ScatterSeries { Title = $"best ({result.Best.Candidate.Name})", MarkerType = MarkerType.Diamond, MarkerSize = 8, MarkerFill = BestColor };
        best.Points.Add(new ScatterPoint(result.Best.Candidate.Parameter, result.Best.Mean));
        model.Series.Add(folds);
        model.Series.Add(mean);
        model.Series.Add(line);
        model.Series.Add(best);
        return model;
    }
}
