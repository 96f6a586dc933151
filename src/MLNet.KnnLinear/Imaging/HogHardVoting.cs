using System.Numerics.Tensors;
using System.Runtime.InteropServices;

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
    private readonly HogParameters _parameters;
    private readonly HogGeometry _geometry;
    private readonly double[] _boundaries;
    private readonly double _period;
    private readonly double _binWidth;
    private readonly HogHardBins _bins;

    // Per image column (within the cells): where its cell's bins start in a row of cells, so the pixel loop needs no division.
    private readonly int[] _columnOffsets;

    public HogHardVoting(HogParameters parameters, HogGeometry geometry)
    {
        _parameters = parameters;
        _geometry = geometry;
        _period = parameters.SignedGradients ? 360.0 : 180.0;
        double width = parameters.BinWidthDegrees;
        _binWidth = width;
        _columnOffsets = Enumerable.Range(0, geometry.CellsAcross * parameters.CellWidth).Select(c => c / parameters.CellWidth * parameters.Orientations).ToArray();
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
    /// <param name="work">Scratch of at least 2 × rows × width floats (the gradients' scratch, free once they are computed).</param>
    public void Accumulate(ReadOnlySpan<float> gx, ReadOnlySpan<float> gy, int firstRow, int rows, Span<float> cells, Span<float> work)
    {
        int orientations = _parameters.Orientations;
        int cellHeight = _parameters.CellHeight;
        int width = _geometry.Width;
        int end = Math.Min(firstRow + rows, VotingRows);
        if (end <= firstRow)
        {
            return;
        }

        // The whole strip is classified at once (a CIFAR image's 32-pixel rows are too short to fill the vector loop
        // one by one); the columns past the last whole cell are classified and not read.
        int pixels = (end - firstRow) * width;
        var bins = MemoryMarshal.Cast<float, int>(work[..pixels]);
        var magnitudes = work.Slice(pixels, pixels);
        _bins.Classify(gx[..pixels], gy[..pixels], bins, magnitudes);

        var histogram = cells[..CellHistogramLength];
        var columnOffsets = _columnOffsets;
        int votingColumns = columnOffsets.Length;
        for (int r = firstRow; r < end; r++)
        {
            int rowOffset = r / cellHeight * _geometry.CellsAcross * orientations;
            int first = (r - firstRow) * width;
            var rowBins = bins.Slice(first, votingColumns);
            var rowMagnitudes = magnitudes.Slice(first, votingColumns);
            for (int c = 0; c < rowBins.Length; c++)
            {
                int bin = rowBins[c];
                if (bin < 0)
                {
                    // Near a boundary (rare): scikit-image's own double atan2 decides, and may drop the pixel.
                    bin = Bin(Math.Atan2(gy[first + c], gx[first + c]) * (180.0 / Math.PI), orientations);
                    if (bin < 0)
                    {
                        continue;
                    }
                }

                histogram[rowOffset + columnOffsets[c] + bin] += rowMagnitudes[c];
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
