using System.Runtime.CompilerServices;
using MLNet.KnnLinear.Kernels;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// Lays rows out for <see cref="GemmScan"/> as they arrive, one at a time: straight into the 16-row panels, with the
/// norms and the exact-mode check done while the row is still in cache. A cursor can feed it directly, so fitting
/// never holds a row-major copy of the data beside the panels.
/// </summary>
internal sealed class GemmScanBuilder(int dimension, bool cosine, long expectedRows, long chunkBytes = FloatPanels.ChunkBytes)
{
    private readonly FloatPanels _panels = new(dimension, expectedRows, chunkBytes);
    private readonly GrowableArray<float> _norms = new(expectedRows + PanelPacking.PanelRows);
    private readonly GrowableArray<double> _exactNorms = new(expectedRows);
    private bool _exact = true;
    private int _count;

    public int Count => _count;

    /// <summary>Expects <paramref name="rows"/> more rows (the panels' chunks allocated once at their size).</summary>
    public void Reserve(long rows) => _panels.Reserve(rows);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    public void Append(ReadOnlySpan<float> row)
    {
        int lane = _count % PanelPacking.PanelRows;
        _panels.Append(row);
        _exact = _exact && GemmScan.IsSmallWholeNumbers(row);
        if (_exact)
        {
            double exact = GemmScan.ExactSquaredNorm(row);
            _exactNorms.Append(1)[0] = cosine ? Math.Sqrt(exact) : exact;
        }

        _count++;
        if (lane == PanelPacking.PanelRows - 1)
        {
            AppendPanelNorms();
        }
    }

    public GemmScan Build()
    {
        if (_count % PanelPacking.PanelRows != 0)
        {
            AppendPanelNorms(); // the last, partial panel (its missing rows are zeros)
        }

        _panels.Trim();
        return new(_panels, _norms.Slice(0, _count).ToArray(), _exact ? _exactNorms.ToArray() : null, dimension, cosine);
    }

    /// <summary>The float norms of the panel just completed, all 16 lanes at once (the same rounding as one row at a time).</summary>
    private void AppendPanelNorms()
    {
        var norms = _norms.Append(PanelPacking.PanelRows);
        SquaredNorm.ComputePanel(_panels.PanelSpan((_count - 1) / PanelPacking.PanelRows), dimension, norms);
        if (cosine)
        {
            System.Numerics.Tensors.TensorPrimitives.Sqrt(norms, norms);
        }
    }
}
