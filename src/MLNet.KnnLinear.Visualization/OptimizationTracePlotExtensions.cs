using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;
using MLNet.KnnLinear.Visualization;

namespace MLNet.KnnLinear;

/// <summary>The optimisation trace of a linear model as a chart (OxyPlot).</summary>
public static class OptimizationTracePlotExtensions
{
    /// <summary>
    /// Saves the training objective against the iteration (bottom axis, blue) and against the seconds since training
    /// started (top axis, orange), on a log₁₀ objective axis when every value is positive. ".png" gets an 800 × 500
    /// PNG, any other extension SVG.
    /// </summary>
    /// <param name="trace">The trace, e.g. <c>model.Trace</c> of a <see cref="LinearModelParameters"/>.</param>
    /// <param name="path">The file to write (its folder must exist).</param>
    /// <param name="title">The plot title.</param>
    /// <exception cref="ArgumentException">The trace is empty, or the path is empty or a folder.</exception>
    /// <exception cref="DirectoryNotFoundException">The path's folder does not exist.</exception>
    public static void SavePlot(this OptimizationTrace trace, string path, string title = "Training objective")
    {
        ArgumentNullException.ThrowIfNull(trace);
        OutputFile.RequireWritablePath(path, nameof(path));
        ArgumentNullException.ThrowIfNull(title);
        if (trace.Objective.Count == 0)
        {
            throw new ArgumentException("The trace has no iterations to plot.", nameof(trace));
        }

        ChartFile.Save(Create(trace, title), path, 800, 500);
    }

    internal static PlotModel Create(OptimizationTrace trace, string title)
    {
        var model = new PlotModel { Title = title, Subtitle = trace.StopReason ?? string.Empty, Background = OxyColors.White };
        bool positive = trace.Objective.All(v => v > 0);
        model.Axes.Add(positive
            ? new LogarithmicAxis { Position = AxisPosition.Left, Title = "objective", MajorGridlineStyle = LineStyle.Dot }
            : new LinearAxis { Position = AxisPosition.Left, Title = "objective", MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "iteration", Key = "iteration", Minimum = 0 });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Top, Title = "seconds", Key = "seconds", Minimum = 0 });
        var byIteration = new LineSeries { Title = "by iteration", XAxisKey = "iteration", Color = OxyColor.FromRgb(31, 119, 180), StrokeThickness = 2 };
        var byTime = new LineSeries { Title = "by time", XAxisKey = "seconds", Color = OxyColor.FromRgb(255, 127, 14), StrokeThickness = 1, LineStyle = LineStyle.Dash };
        for (int i = 0; i < trace.Objective.Count; i++)
        {
            byIteration.Points.Add(new DataPoint(i, trace.Objective[i]));
            byTime.Points.Add(new DataPoint(trace.ElapsedSeconds[i], trace.Objective[i]));
        }

        model.Series.Add(byIteration);
        model.Series.Add(byTime);
        model.Legends.Add(new OxyPlot.Legends.Legend { LegendPosition = OxyPlot.Legends.LegendPosition.RightTop });
        return model;
    }
}
