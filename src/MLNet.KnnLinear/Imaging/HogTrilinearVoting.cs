namespace MLNet.KnnLinear.Imaging;

/// <summary>
/// Dalal and Triggs' voting as OpenCV's HOGDescriptor does it: each block votes its own pixels; a pixel's magnitude,
/// times a Gaussian window over the block, is split linearly between the two nearest orientation bins (centres at
/// (i + ½)·w) and bilinearly between the up to four cells whose centres surround it. Per-position weights are
/// tabulated once per block shape.
/// </summary>
internal sealed class HogTrilinearVoting
{
    private readonly HogParameters _parameters;
    private readonly HogGeometry _geometry;
    private readonly int _blockPixelsDown;
    private readonly int _blockPixelsAcross;

    // Per block-relative pixel: up to four (cell index in the block, weight) pairs, Gaussian included.
    private readonly int[] _cellOffsets;
    private readonly float[] _cellWeights;

    // How many of a position's four pairs are inside the block (they come first), so outside cells cost nothing.
    private readonly byte[] _cellCounts;

    private readonly HogTrilinearBins _bins;

    // Per block-relative pixel: the weight for each of the block's cells (0 where it does not vote), for the dense path.
    private readonly float[] _denseWeights;

    // Per block row: the cells with a nonzero weight in it, so the dense path skips the others.
    private readonly byte[] _denseRowCells;

    public HogTrilinearVoting(HogParameters parameters, HogGeometry geometry)
    {
        _parameters = parameters;
        _geometry = geometry;
        _blockPixelsDown = parameters.BlockHeight * parameters.CellHeight;
        _blockPixelsAcross = parameters.BlockWidth * parameters.CellWidth;
        _cellOffsets = new int[_blockPixelsDown * _blockPixelsAcross * 4];
        _cellWeights = new float[_blockPixelsDown * _blockPixelsAcross * 4];
        _cellCounts = new byte[_blockPixelsDown * _blockPixelsAcross];
        _bins = new HogTrilinearBins(parameters.Orientations, parameters.SignedGradients);
        _denseWeights = new float[_blockPixelsDown * _blockPixelsAcross * HogTrilinearDenseVote.MaxCells];
        Tabulate();
        _denseRowCells = HogTrilinearDenseVote.RowCells(_denseWeights, _blockPixelsDown, _blockPixelsAcross);
        DenseVoting = HogTrilinearDenseVote.IsAccelerated && HogTrilinearDenseVote.Supports(parameters.Orientations, parameters.BlockHeight * parameters.BlockWidth);
    }

    /// <summary>Pixel rows a block covers.</summary>
    public int BlockPixelsDown => _blockPixelsDown;

    /// <summary>Pixel rows between the tops of two block rows.</summary>
    public int StrideDown => _parameters.BlockStride * _parameters.CellHeight;

    /// <summary>Image rows block rows [<paramref name="firstBlockRow"/>, <paramref name="endBlockRow"/>) read.</summary>
    public int PixelRows(int firstBlockRow, int endBlockRow) => ((endBlockRow - firstBlockRow - 1) * StrideDown) + _blockPixelsDown;

    /// <summary>Scratch floats for a strip of <paramref name="rows"/> image rows: per pixel a magnitude, two bins and the split, and the dense path's row.</summary>
    public long WorkLength(int rows) => (4L * rows * _geometry.Width) + (DenseVoting ? HogTrilinearDenseVote.Length(rows, _geometry.Width) : 0);

    /// <summary>
    /// The spatial weights as one dense kernel per cell of the block: [cells in the block, block pixels down, block
    /// pixels across], the Gaussian included, 0 where a pixel does not vote into that cell (for the ONNX export's Conv).
    /// </summary>
    public float[] CellKernels()
    {
        int cells = _parameters.BlockHeight * _parameters.BlockWidth;
        int positions = _blockPixelsDown * _blockPixelsAcross;
        var kernels = new float[cells * positions];
        for (int position = 0; position < positions; position++)
        {
            for (int k = 0; k < _cellCounts[position]; k++)
            {
                kernels[(_cellOffsets[(position * 4) + k] * positions) + position] = _cellWeights[(position * 4) + k];
            }
        }

        return kernels;
    }

    /// <summary>
    /// Writes the (unnormalised) histograms of block rows [<paramref name="firstBlockRow"/>, <paramref name="endBlockRow"/>),
    /// blocks row-major, cells row-major within a block, into their places in <paramref name="blocks"/> (the whole
    /// descriptor). <paramref name="gx"/> and <paramref name="gy"/> hold the strip of image rows those blocks cover,
    /// from the first block row's top. Each block votes only its own pixels, so any split gives the same values.
    /// </summary>
    public void Vote(ReadOnlySpan<float> gx, ReadOnlySpan<float> gy, int firstBlockRow, int endBlockRow, Span<float> work, Span<float> blocks)
    {
        int stripRows = PixelRows(firstBlockRow, endBlockRow);
        int stripPixels = stripRows * _geometry.Width;
        var magnitude = work[..stripPixels];
        var lowBin = work.Slice(stripPixels, stripPixels);
        var highBin = work.Slice(2 * stripPixels, stripPixels);
        var highShare = work.Slice(3 * stripPixels, stripPixels);
        _bins.Classify(gx[..stripPixels], gy[..stripPixels], magnitude, lowBin, highBin, highShare);
        bool dense = DenseVoting;
        var denseRows = dense ? work.Slice(4 * stripPixels, (int)HogTrilinearDenseVote.Length(stripRows, _geometry.Width)) : default;
        if (dense)
        {
            HogTrilinearDenseVote.Spread(lowBin, highBin, highShare, _geometry.Width, denseRows);
        }

        int blockLength = _parameters.BlockLength;
        int strideAcross = _parameters.BlockStride * _parameters.CellWidth;
        for (int by = firstBlockRow; by < endBlockRow; by++)
        {
            for (int bx = 0; bx < _geometry.BlocksAcross; bx++)
            {
                var block = blocks.Slice(((by * _geometry.BlocksAcross) + bx) * blockLength, blockLength);
                int originRow = (by - firstBlockRow) * StrideDown;
                int originColumn = bx * strideAcross;
                if (dense)
                {
                    HogTrilinearDenseVote.Vote(magnitude, denseRows, originRow, originColumn, _geometry.Width, _blockPixelsAcross, _denseWeights, _denseRowCells, _parameters.BlockHeight * _parameters.BlockWidth, _parameters.Orientations, block);
                }
                else
                {
                    VoteBlockScalar(magnitude, lowBin, highBin, highShare, (originRow * _geometry.Width) + originColumn, block);
                }
            }
        }
    }

    /// <summary>Whether blocks take <see cref="HogTrilinearDenseVote"/> (the twin of <see cref="VoteBlockScalar"/>); tests turn it off to compare.</summary>
    internal bool DenseVoting { get; set; }

    /// <summary>
    /// One block's votes, pixel by pixel: each pixel adds (weight · m) · (1 − share) and (weight · m) · share to its two
    /// bins in each cell it votes into. The reference the dense path is tested against.
    /// </summary>
    private void VoteBlockScalar(ReadOnlySpan<float> magnitude, ReadOnlySpan<float> lowBin, ReadOnlySpan<float> highBin, ReadOnlySpan<float> highShare, int origin, Span<float> block)
    {
        int orientations = _parameters.Orientations;
        block.Clear();
        for (int i = 0; i < _blockPixelsDown; i++)
        {
            int row = origin + (i * _geometry.Width);
            for (int j = 0; j < _blockPixelsAcross; j++)
            {
                int p = row + j;
                float m = magnitude[p];
                if (m == 0)
                {
                    continue;
                }

                int low = (int)lowBin[p];
                int high = (int)highBin[p];
                float share = highShare[p];
                int position = (i * _blockPixelsAcross) + j;
                int t = position * 4;
                for (int k = 0; k < _cellCounts[position]; k++)
                {
                    float w = _cellWeights[t + k] * m;
                    int cell = _cellOffsets[t + k] * orientations;
                    block[cell + low] += w * (1f - share);
                    block[cell + high] += w * share;
                }
            }
        }
    }

    private void Tabulate()
    {
        int cellHeight = _parameters.CellHeight;
        int cellWidth = _parameters.CellWidth;
        float sigma = (_blockPixelsDown + _blockPixelsAcross) / 8f;
        float scale = 1f / (2 * sigma * sigma);
        for (int i = 0; i < _blockPixelsDown; i++)
        {
            // Cell-centre coordinates: the pixel's position in cells, minus half a cell.
            float cellY = ((i + 0.5f) / cellHeight) - 0.5f;
            int y0 = (int)MathF.Floor(cellY);
            float fy = cellY - y0;
            float dy = i - (_blockPixelsDown * 0.5f);
            for (int j = 0; j < _blockPixelsAcross; j++)
            {
                float cellX = ((j + 0.5f) / cellWidth) - 0.5f;
                int x0 = (int)MathF.Floor(cellX);
                float fx = cellX - x0;
                float dx = j - (_blockPixelsAcross * 0.5f);
                float gaussian = MathF.Exp(-((dy * dy) + (dx * dx)) * scale);
                int position = (i * _blockPixelsAcross) + j;
                Put(position, y0, x0, (1 - fy) * (1 - fx) * gaussian);
                Put(position, y0, x0 + 1, (1 - fy) * fx * gaussian);
                Put(position, y0 + 1, x0, fy * (1 - fx) * gaussian);
                Put(position, y0 + 1, x0 + 1, fy * fx * gaussian);
            }
        }
    }

    /// <summary>Adds a (cell, weight) pair to the position's list when the cell is inside the block; outside cells get no vote.</summary>
    private void Put(int position, int cellRow, int cellColumn, float weight)
    {
        if ((uint)cellRow < (uint)_parameters.BlockHeight && (uint)cellColumn < (uint)_parameters.BlockWidth)
        {
            int at = (position * 4) + _cellCounts[position]++;
            _cellOffsets[at] = (cellRow * _parameters.BlockWidth) + cellColumn;
            _cellWeights[at] = weight;
            if (_cellOffsets[at] < HogTrilinearDenseVote.MaxCells)
            {
                _denseWeights[(position * HogTrilinearDenseVote.MaxCells) + _cellOffsets[at]] = weight;
            }
        }
    }
}
