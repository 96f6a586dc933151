using System.Numerics.Tensors;

namespace MLNet.KnnLinear.Imaging;

/// <summary>
/// scikit-image's voting: a pixel adds its gradient magnitude to the orientation bin its angle falls in
/// (bin i holds angles in [i·w, (i + 1)·w)), in the cell containing it; each cell's sums are divided by the cell's pixel
/// count. Bins and magnitudes are scikit-image's: magnitudes in double as it computes them, and bins from a fast angle
/// wherever that is clearly inside a bin (<see cref="HogHardBins"/>), else from its own double atan2 in degrees and the
/// floored remainder, so pixels on a bin boundary land in the same bin.
/// </summary>
internal sealed class HogHardVoting
{
    // Pixels classified at a time, on the stack: a row is done in steps of this many.
    private const int PixelsPerStep = 256;

    private readonly HogParameters _parameters;
    private readonly HogGeometry _geometry;
    private readonly double[] _boundaries;
    private readonly double _period;
    private readonly double _binWidth;
    private readonly HogHardBins _bins;

    // Per image column (within the cells): the cell column it belongs to, so the pixel loop needs no division.
    private readonly int[] _columnCell;

    public HogHardVoting(HogParameters parameters, HogGeometry geometry)
    {
        _parameters = parameters;
        _geometry = geometry;
        _period = parameters.SignedGradients ? 360.0 : 180.0;
        double width = parameters.BinWidthDegrees;
        _binWidth = width;
        _columnCell = Enumerable.Range(0, geometry.CellsAcross * parameters.CellWidth).Select(c => c / parameters.CellWidth).ToArray();
        _boundaries = new double[parameters.Orientations + 1];
        for (int i = 0; i <= parameters.Orientations; i++)
        {
            _boundaries[i] = width * i;
        }

        _bins = new HogHardBins(parameters.Orientations, parameters.SignedGradients, degrees => Bin(degrees, parameters.Orientations));
    }

    public int CellHistogramLength => _geometry.CellsDown * _geometry.CellsAcross * _parameters.Orientations;

    /// <summary>Image rows that vote: whole cells only (pixels past the last full cell are dropped, as scikit-image does).</summary>
    public int VotingRows => _geometry.CellsDown * _parameters.CellHeight;

    /// <summary>
    /// Adds the votes of image rows [<paramref name="firstRow"/>, + <paramref name="rows"/>) to the cell histograms
    /// [cell row, cell column, orientation] in <paramref name="cells"/>, which start cleared; <see cref="Finish"/>
    /// follows the last strip. Strips in row order give the same sums as the whole image at once.
    /// </summary>
    /// <param name="gx">The strip's x gradients, rows × image width.</param>
    /// <param name="gy">The strip's y gradients.</param>
    /// <param name="firstRow">The strip's first image row.</param>
    /// <param name="rows">Rows in the strip.</param>
    /// <param name="cells">The cell histograms being summed.</param>
    public void Accumulate(ReadOnlySpan<float> gx, ReadOnlySpan<float> gy, int firstRow, int rows, Span<float> cells)
    {
        int orientations = _parameters.Orientations;
        int cellHeight = _parameters.CellHeight;
        int across = _geometry.CellsAcross;
        int width = _geometry.Width;
        var histogram = cells[..CellHistogramLength];
        var columnCell = _columnCell;
        Span<int> bins = stackalloc int[PixelsPerStep];
        Span<float> magnitudes = stackalloc float[PixelsPerStep];
        int end = Math.Min(firstRow + rows, VotingRows);
        for (int r = firstRow; r < end; r++)
        {
            int cellRow = r / cellHeight * across;
            var rowX = gx.Slice((r - firstRow) * width, columnCell.Length);
            var rowY = gy.Slice((r - firstRow) * width, columnCell.Length);
            for (int first = 0; first < columnCell.Length; first += PixelsPerStep)
            {
                int count = Math.Min(PixelsPerStep, columnCell.Length - first);
                _bins.Classify(rowX.Slice(first, count), rowY.Slice(first, count), bins, magnitudes);
                for (int i = 0; i < count; i++)
                {
                    int bin = bins[i];
                    if (bin == HogHardBins.Uncertain)
                    {
                        // Near a boundary (rare): scikit-image's own double atan2 decides, and may drop the pixel.
                        bin = Bin(Math.Atan2(rowY[first + i], rowX[first + i]) * (180.0 / Math.PI), orientations);
                        if (bin < 0)
                        {
                            continue;
                        }
                    }

                    histogram[((cellRow + columnCell[first + i]) * orientations) + bin] += magnitudes[i];
                }
            }
        }
    }

    /// <summary>Divides each cell's sums by the cell's pixel count.</summary>
    public void Finish(Span<float> cells)
    {
        float perPixel = 1f / (_parameters.CellHeight * _parameters.CellWidth);
        TensorPrimitives.Multiply(cells[..CellHistogramLength], perPixel, cells[..CellHistogramLength]);
    }

    /// <summary>The bin of an angle in degrees, or −1 when it is at or past the last boundary (as scikit-image drops it).</summary>
    internal int Bin(double degrees, int orientations)
    {
        // numpy's floored remainder by the period. atan2 gives [−180°, 180°], where fmod by 360 is the identity and
        // fmod by 180 only maps ±180 to ±0; negative results then shift by the period.
        double angle = _period == 180.0 && Math.Abs(degrees) == 180.0 ? 0.0 : degrees;
        if (angle < 0)
        {
            angle += _period;
        }

        int bin = Math.Min((int)(angle / _binWidth), orientations - 1);
        while (bin > 0 && angle < _boundaries[bin])
        {
            bin--;
        }

        while (bin < orientations && angle >= _boundaries[bin + 1])
        {
            bin++;
        }

        return bin < orientations ? bin : -1;
    }
}
