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

    public Scratch CreateScratch()
    {
        int pixels = Geometry.Height * Geometry.Width;
        int work = Math.Max(HogGradients.WorkLength(Channels, Geometry.Height, Geometry.Width), _trilinear?.WorkLength ?? 0);
        return new Scratch(pixels, work, _hard?.CellHistogramLength ?? 0);
    }

    /// <param name="planes">Channels planes of height × width.</param>
    /// <param name="output">Receives <see cref="Length"/> values.</param>
    /// <param name="scratch">This thread's scratch.</param>
    public void Compute(ReadOnlySpan<float> planes, Span<float> output, Scratch scratch)
    {
        Gradients(planes, scratch);
        int blockLength = _parameters.BlockLength;
        if (_trilinear is not null)
        {
            _trilinear.Vote(scratch.Gx, scratch.Gy, scratch.Work, output);
        }
        else
        {
            _hard!.Vote(scratch.Gx, scratch.Gy, scratch.Cells);
            GatherBlocks(scratch.Cells, output);
        }

        for (int b = 0; b < Length; b += blockLength)
        {
            HogBlockNormalizer.Normalize(output.Slice(b, blockLength), _parameters.Normalization, _parameters.Voting);
        }
    }

    /// <summary>The cell histograms of hard voting, [cell row, cell column, orientation], before block normalisation (what the glyph picture draws).</summary>
    public float[] CellHistograms(ReadOnlySpan<float> planes)
    {
        var scratch = CreateScratch();
        Gradients(planes, scratch);
        var voting = _hard ?? new HogHardVoting(_parameters, Geometry);
        var cells = new float[voting.CellHistogramLength];
        voting.Vote(scratch.Gx, scratch.Gy, cells);
        return cells;
    }

    private void Gradients(ReadOnlySpan<float> planes, Scratch scratch)
        => HogGradients.Compute(planes, Channels, Geometry.Height, Geometry.Width, _parameters.SqrtCompression, _parameters.ColorMode, _parameters.Voting == HogVoting.Trilinear, scratch.Work, scratch.Gx, scratch.Gy);

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

    /// <summary>Per-thread buffers.</summary>
    internal sealed class Scratch(int pixels, int work, int cells)
    {
        public float[] Gx { get; } = new float[pixels];

        public float[] Gy { get; } = new float[pixels];

        public float[] Work { get; } = new float[work];

        public float[] Cells { get; } = new float[cells];
    }
}
