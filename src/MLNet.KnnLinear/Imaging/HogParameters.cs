using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Imaging;

/// <summary>The descriptor's definition, validated and immutable (what a HoG transformer saves).</summary>
internal sealed record HogParameters(
    int Orientations,
    int CellHeight,
    int CellWidth,
    int BlockHeight,
    int BlockWidth,
    int BlockStride,
    HogBlockNormalization Normalization,
    bool SignedGradients,
    bool SqrtCompression,
    HogVoting Voting,
    HogColorMode ColorMode)
{
    /// <summary>Degrees one orientation bin covers: 180 / orientations (360 when gradients are signed).</summary>
    public double BinWidthDegrees => (SignedGradients ? 360.0 : 180.0) / Orientations;

    public int BlockLength => BlockHeight * BlockWidth * Orientations;

    /// <summary>The cell and block counts for an image, or a clear error when the image is smaller than one block.</summary>
    public HogGeometry GeometryFor(int height, int width, string column)
    {
        int cellsDown = height / CellHeight;
        int cellsAcross = width / CellWidth;
        if (cellsDown < BlockHeight || cellsAcross < BlockWidth)
        {
            throw new ArgumentOutOfRangeException(
                nameof(height),
                $"Images of column '{column}' are {height} × {width} (height × width) pixels, smaller than one HoG block of {BlockHeight} × {BlockWidth} cells of {CellHeight} × {CellWidth} pixels ({BlockHeight * CellHeight} × {BlockWidth * CellWidth} pixels). Use smaller cells or blocks, or larger images.");
        }

        return new HogGeometry(
            height,
            width,
            cellsDown,
            cellsAcross,
            ((cellsDown - BlockHeight) / BlockStride) + 1,
            ((cellsAcross - BlockWidth) / BlockStride) + 1);
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(Orientations);
        writer.Write(CellHeight);
        writer.Write(CellWidth);
        writer.Write(BlockHeight);
        writer.Write(BlockWidth);
        writer.Write(BlockStride);
        writer.Write((int)Normalization);
        writer.Write(SignedGradients);
        writer.Write(SqrtCompression);
        writer.Write((int)Voting);
        writer.Write((int)ColorMode);
    }

    public static HogParameters Read(ModelStateReader reader)
        => new(
            reader.ReadInt32("orientations", 1, 360),
            reader.ReadInt32("cell height", 1, 1 << 16),
            reader.ReadInt32("cell width", 1, 1 << 16),
            reader.ReadInt32("block height", 1, 1 << 16),
            reader.ReadInt32("block width", 1, 1 << 16),
            reader.ReadInt32("block stride", 1, 1 << 16),
            reader.ReadEnum<HogBlockNormalization>("block normalization"),
            reader.ReadBoolean("signed gradients"),
            reader.ReadBoolean("square-root compression"),
            reader.ReadEnum<HogVoting>("voting"),
            reader.ReadEnum<HogColorMode>("color mode"));
}

/// <summary>Cells and blocks of one image size: cells tile the image from the top-left corner, leftover pixels are ignored.</summary>
internal sealed record HogGeometry(int Height, int Width, int CellsDown, int CellsAcross, int BlocksDown, int BlocksAcross);
