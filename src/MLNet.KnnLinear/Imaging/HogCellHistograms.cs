namespace MLNet.KnnLinear;

/// <summary>
/// The cell histograms of one image's HoG before block normalisation: what each cell's pixels voted into each
/// orientation bin (hard voting, divided by the cell's pixel count), [cell row, cell column, orientation]. The glyph
/// picture of scikit-image's <c>hog(visualize=True)</c> is drawn from these.
/// </summary>
public sealed class HogCellHistograms
{
    private readonly float[] _values;

    internal HogCellHistograms(float[] values, int cellsDown, int cellsAcross, int orientations, int cellHeight, int cellWidth, bool signedGradients)
    {
        _values = values;
        CellsDown = cellsDown;
        CellsAcross = cellsAcross;
        Orientations = orientations;
        CellHeight = cellHeight;
        CellWidth = cellWidth;
        SignedGradients = signedGradients;
    }

    /// <summary>Rows of cells.</summary>
    public int CellsDown { get; }

    /// <summary>Columns of cells.</summary>
    public int CellsAcross { get; }

    /// <summary>Orientation bins per cell.</summary>
    public int Orientations { get; }

    /// <summary>Pixel rows per cell.</summary>
    public int CellHeight { get; }

    /// <summary>Pixel columns per cell.</summary>
    public int CellWidth { get; }

    /// <summary>Bins cover 0–360° (true) or 0–180° (false); bin i is centred at (i + ½) × the bin width.</summary>
    public bool SignedGradients { get; }

    /// <summary>Every value, [cell row, cell column, orientation] row-major.</summary>
    public IReadOnlyList<float> Values => _values;

    /// <summary>The value of one cell's orientation bin.</summary>
    /// <param name="cellRow">0 .. <see cref="CellsDown"/> − 1.</param>
    /// <param name="cellColumn">0 .. <see cref="CellsAcross"/> − 1.</param>
    /// <param name="orientation">0 .. <see cref="Orientations"/> − 1.</param>
    public float this[int cellRow, int cellColumn, int orientation]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)cellRow, (uint)CellsDown, nameof(cellRow));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)cellColumn, (uint)CellsAcross, nameof(cellColumn));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)orientation, (uint)Orientations, nameof(orientation));
            return _values[(((cellRow * CellsAcross) + cellColumn) * Orientations) + orientation];
        }
    }
}
