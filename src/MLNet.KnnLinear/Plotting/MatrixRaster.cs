namespace MLNet.KnnLinear.Plotting;

/// <summary>
/// A drawn matrix chart and where its cells are: cell (row, column) covers
/// [<paramref name="Left"/> + column × <paramref name="Cell"/>, …) × [<paramref name="Top"/> + row × <paramref name="Cell"/>, …).
/// Tests use it to find each cell's colour and number.
/// </summary>
internal sealed record MatrixRaster(RgbCanvas Canvas, int Left, int Top, int Cell);
