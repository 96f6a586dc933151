namespace MLNet.KnnLinear.Search;

/// <summary>
/// Lays database rows out as the GEMM micro-kernel reads them: panels of 16 rows, each panel k-major
/// (the 16 rows' values at k = 0, then at k = 1, …), the last panel padded with zero rows. Done once at fit.
/// </summary>
internal static class PanelPacking
{
    public const int PanelRows = Kernels.DotTile.Columns;

    public static int PanelCount(int rows) => (rows + PanelRows - 1) / PanelRows;

    public static float[] Pack(ReadOnlySpan<float> rows, int count, int dimension)
    {
        var packed = new float[(long)PanelCount(count) * PanelRows * dimension];
        for (int r = 0; r < count; r++)
        {
            long panelStart = (long)(r / PanelRows) * PanelRows * dimension;
            WriteRow(packed.AsSpan((int)panelStart, PanelRows * dimension), r % PanelRows, rows.Slice(r * dimension, dimension));
        }

        return packed;
    }

    /// <summary>Writes <paramref name="row"/> into lane <paramref name="lane"/> of one panel (16 × dimension values).</summary>
    public static void WriteRow(Span<float> panel, int lane, ReadOnlySpan<float> row)
    {
        for (int k = 0; k < row.Length; k++)
        {
            panel[(k * PanelRows) + lane] = row[k];
        }
    }

    public static void Unpack(float[] packed, int row, int dimension, Span<float> destination)
    {
        long panelStart = (long)(row / PanelRows) * PanelRows * dimension;
        int lane = row % PanelRows;
        for (int k = 0; k < dimension; k++)
        {
            destination[k] = packed[panelStart + ((long)k * PanelRows) + lane];
        }
    }
}
