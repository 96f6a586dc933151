namespace MLNet.KnnLinear.Plotting;

/// <summary>
/// A drawn chart together with the axes that placed its marks: callers save the canvas, tests use the axes to find
/// where each mark must be.
/// </summary>
internal sealed record ChartRaster(RgbCanvas Canvas, Axis X, Axis Y);
