namespace MLNet.KnnLinear.Imaging;

/// <summary>
/// The Histogram of Oriented Gradients of one image (Dalal and Triggs, CVPR 2005), for a fixed image size: gradients,
/// votes into cell histograms, overlapping blocks of cells, each normalised. Output layout, as scikit-image's
/// <c>feature_vector=True</c>: blocks row-major, then the block's cells row-major, then orientations.
/// Thread-safe; each thread brings its own <see cref="Scratch"/>.
/// </summary>
internal sealed class HogDescriptor
{
    private readonly HogParameters _parameters;
    private readonly HogHardVoting? _hard;
    private readonly HogTrilinearVoting? _trilinear;

    public HogDescriptor(HogParameters parameters, HogGeometry geometry, int channels)
    {
        _parameters = parameters;
        Geometry = geometry;
        Channels = channels;
        if (parameters.Voting == HogVoting.Hard)
        {
            _hard = new HogHardVoting(parameters, geometry);
        }
        else
        {
            _trilinear = new HogTrilinearVoting(parameters, geometry);
        }
    }

    public HogGeometry Geometry { get; }

    public int Channels { get; }

    /// <summary>blocks down × blocks across × block height × block width × orientations.</summary>
    public int Length => Geometry.BlocksDown * Geometry.BlocksAcross * _parameters.BlockLength;

    /// <summary>
    /// The float scratch a strip may use (4 MiB): an image is read in strips of whole cell rows (hard voting) or block
    /// rows (trilinear) that fit it, at least one; a CIFAR image is one strip. Scratch thus follows the image's width,
    /// not its area: a 8192 × 8192 photo needs a few MiB besides its cell histograms.
    /// </summary>
    public const long StripBudgetBytes = 4L << 20;

    /// <summary>A thread's scratch, for strips of at most <paramref name="budgetBytes"/> (tests pass a small budget to force many strips).</summary>
    public Scratch CreateScratch(long budgetBytes = StripBudgetBytes)
    {
        // Units of one cell row (hard) or one block row (trilinear), and the image rows a strip of n units reads.
        int unitRows = _trilinear?.StrideDown ?? _parameters.CellHeight;
        int totalUnits = _trilinear is null ? Geometry.CellsDown : Geometry.BlocksDown;
        int RowsOf(int units) => _trilinear?.PixelRows(0, units) ?? (units * unitRows);
        long BytesOf(int units)
        {
            int rows = RowsOf(units);
            return sizeof(float) * ((2L * rows * Geometry.Width) + HogGradients.WorkLength(Channels, rows, Geometry.Width) + (_trilinear?.WorkLength(rows) ?? 0));
        }

        long perUnit = Math.Max(1, BytesOf(2) - BytesOf(1));
        int units = (int)Math.Clamp(1 + ((budgetBytes - BytesOf(1)) / perUnit), 1, totalUnits);
        int stripRows = RowsOf(units);
        long work = Math.Max(HogGradients.WorkLength(Channels, stripRows, Geometry.Width), _trilinear?.WorkLength(stripRows) ?? 0);
        long gradients = (long)stripRows * Geometry.Width;
        if (work > Array.MaxLength || gradients > Array.MaxLength)
        {
            throw new InvalidOperationException($"HoG of a {Geometry.Height} × {Geometry.Width} image: one strip of {stripRows} rows needs more scratch than one array can hold.");
        }

        return new Scratch(units, (int)gradients, (int)work, _hard?.CellHistogramLength ?? 0);
    }

    /// <summary>The HoG of planar float pixels (Channels planes of height × width).</summary>
    public void Compute(ReadOnlySpan<float> planes, Span<float> output, Scratch scratch)
        => Compute(new PixelPlanes(planes, Channels, Geometry.Height, Geometry.Width), output, scratch);

    /// <param name="image">The image, <see cref="Channels"/> planes of the descriptor's size.</param>
    /// <param name="output">Receives <see cref="Length"/> values.</param>
    /// <param name="scratch">This thread's scratch.</param>
    public void Compute(in PixelPlanes image, Span<float> output, Scratch scratch)
    {
        int blockLength = _parameters.BlockLength;
        if (_trilinear is not null)
        {
            for (int first = 0; first < Geometry.BlocksDown; first += scratch.Units)
            {
                int end = Math.Min(first + scratch.Units, Geometry.BlocksDown);
                Gradients(image, first * _trilinear.StrideDown, _trilinear.PixelRows(first, end), scratch);
                _trilinear.Vote(scratch.Gx, scratch.Gy, first, end, scratch.Work, output);
            }
        }
        else
        {
            VoteCells(image, scratch);
            GatherBlocks(scratch.Cells, output);
        }

        for (int b = 0; b < Length; b += blockLength)
        {
            HogBlockNormalizer.Normalize(output.Slice(b, blockLength), _parameters.Normalization, _parameters.Voting);
        }
    }

    /// <summary>The cell histograms of hard voting, [cell row, cell column, orientation], before block normalisation (what the glyph picture draws).</summary>
    public float[] CellHistograms(in PixelPlanes image)
    {
        var descriptor = _hard is null ? new HogDescriptor(_parameters with { Voting = HogVoting.Hard }, Geometry, Channels) : this;
        var scratch = descriptor.CreateScratch();
        descriptor.VoteCells(image, scratch);
        return scratch.Cells;
    }

    private void VoteCells(in PixelPlanes image, Scratch scratch)
    {
        int rowsPerStrip = scratch.Units * _parameters.CellHeight;
        scratch.Cells.AsSpan().Clear();
        for (int first = 0; first < _hard!.VotingRows; first += rowsPerStrip)
        {
            int rows = Math.Min(rowsPerStrip, _hard.VotingRows - first);
            Gradients(image, first, rows, scratch);
            _hard.Accumulate(scratch.Gx, scratch.Gy, first, rows, scratch.Cells, scratch.Work);
        }

        _hard.Finish(scratch.Cells);
    }

    private void Gradients(in PixelPlanes image, int firstRow, int rows, Scratch scratch)
        => HogGradients.Compute(image, firstRow, rows, _parameters.SqrtCompression, _parameters.ColorMode, _parameters.Voting == HogVoting.Trilinear, scratch.Work, scratch.Gx, scratch.Gy);

    private void GatherBlocks(ReadOnlySpan<float> cells, Span<float> output)
    {
        int orientations = _parameters.Orientations;
        int rowLength = _parameters.BlockWidth * orientations;
        int at = 0;
        for (int by = 0; by < Geometry.BlocksDown; by++)
        {
            for (int bx = 0; bx < Geometry.BlocksAcross; bx++)
            {
                for (int i = 0; i < _parameters.BlockHeight; i++)
                {
                    int cellRow = (by * _parameters.BlockStride) + i;
                    int firstCell = (cellRow * Geometry.CellsAcross) + (bx * _parameters.BlockStride);
                    cells.Slice(firstCell * orientations, rowLength).CopyTo(output.Slice(at, rowLength));
                    at += rowLength;
                }
            }
        }
    }

    /// <summary>Per-thread buffers for strips of <see cref="Units"/> cell rows (hard) or block rows (trilinear).</summary>
    internal sealed class Scratch(int units, int pixels, int work, int cells)
    {
        public int Units { get; } = units;

        public float[] Gx { get; } = new float[pixels];

        public float[] Gy { get; } = new float[pixels];

        public float[] Work { get; } = new float[work];

        public float[] Cells { get; } = new float[cells];
    }
}
