using System.Numerics.Tensors;

namespace MLNet.KnnLinear.Imaging;

/// <summary>
/// scikit-image's voting: a pixel adds its gradient magnitude to the orientation bin its angle falls in
/// (bin i holds angles in [i·w, (i + 1)·w)), in the cell containing it; each cell's sums are divided by the cell's pixel
/// count. Angles and magnitudes are computed in double exactly as scikit-image does (atan2 in degrees, then the
/// floored remainder), so pixels on a bin boundary land in the same bin.
/// </summary>
internal sealed class HogHardVoting
{
    // Degrees from a bin boundary below which the fast angle is not trusted (its error is below 0.01°).
    private const double BoundaryMargin = 0.05;
    private const int Uncertain = int.MinValue;

    // The axis directions in degrees exactly as atan2 × (180 / π) rounds them.
    private static readonly double Left = Math.Atan2(0.0, -1.0) * (180.0 / Math.PI);
    private static readonly double Down = Math.Atan2(1.0, 0.0) * (180.0 / Math.PI);
    private static readonly double Up = Math.Atan2(-1.0, 0.0) * (180.0 / Math.PI);

    private readonly HogParameters _parameters;
    private readonly HogGeometry _geometry;
    private readonly double[] _boundaries;
    private readonly double _period;
    private readonly double _binWidth;
    private readonly double _binsPerDegree;

    // Per image column (within the cells): the cell column it belongs to, so the pixel loop needs no division.
    private readonly int[] _columnCell;

    public HogHardVoting(HogParameters parameters, HogGeometry geometry)
    {
        _parameters = parameters;
        _geometry = geometry;
        _period = parameters.SignedGradients ? 360.0 : 180.0;
        double width = parameters.BinWidthDegrees;
        _binWidth = width;
        _binsPerDegree = 1.0 / width;
        _columnCell = Enumerable.Range(0, geometry.CellsAcross * parameters.CellWidth).Select(c => c / parameters.CellWidth).ToArray();
        _boundaries = new double[parameters.Orientations + 1];
        for (int i = 0; i <= parameters.Orientations; i++)
        {
            _boundaries[i] = width * i;
        }
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
        int end = Math.Min(firstRow + rows, VotingRows);
        for (int r = firstRow; r < end; r++)
        {
            int cellRow = r / cellHeight * across;
            var rowX = gx.Slice((r - firstRow) * width, columnCell.Length);
            var rowY = gy.Slice((r - firstRow) * width, columnCell.Length);
            for (int c = 0; c < columnCell.Length; c++)
            {
                float fx = rowX[c];
                float fy = rowY[c];
                if (fx == 0 && fy == 0)
                {
                    continue;
                }

                double x = fx;
                double y = fy;
                int bin = FastBin(fx, fy, orientations);
                if (bin == Uncertain)
                {
                    bin = Bin(Math.Atan2(y, x) * (180.0 / Math.PI), orientations);
                }

                if (bin >= 0)
                {
                    histogram[((cellRow + columnCell[c]) * orientations) + bin] += (float)Math.Sqrt((x * x) + (y * y));
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

    /// <summary>
    /// The bin from OpenCV's fast atan2 (error &lt; 0.01°) when the angle is clearly inside a bin, which is nearly
    /// always; <see cref="Uncertain"/> within <see cref="BoundaryMargin"/> of a boundary, where only scikit-image's
    /// own double computation decides (e.g. the 45° of |gx| = |gy| with 8 orientations). Axis-aligned gradients, the
    /// commonest boundary case, take atan2's own rounding of 0°, ±90° and 180°.
    /// </summary>
    private int FastBin(float x, float y, int orientations)
    {
        double angle;
        if (y == 0)
        {
            angle = x > 0 ? 0 : Left;
        }
        else if (x == 0)
        {
            angle = y > 0 ? Down : Up;
        }
        else
        {
            angle = FastAtan.Degrees(y, x);
            if (angle >= _period)
            {
                angle -= _period;
            }

            double position = angle * _binsPerDegree;
            int approximate = (int)position;
            double fromBoundary = Math.Min(position - approximate, approximate + 1 - position) * _binWidth;
            return fromBoundary > BoundaryMargin && approximate < orientations ? approximate : Uncertain;
        }

        return Bin(angle, orientations);
    }

    /// <summary>The bin of an angle in degrees, or −1 when it is at or past the last boundary (as scikit-image drops it).</summary>
    private int Bin(double degrees, int orientations)
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
