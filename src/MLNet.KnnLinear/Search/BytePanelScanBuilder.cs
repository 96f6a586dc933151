using System.Numerics.Tensors;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// Lays byte rows (raw pixels) out for <see cref="BytePanelScan"/> as they arrive, one at a time: straight into the
/// byte panels, with each row's exact squared norm taken while the row is in cache.
/// </summary>
internal sealed class BytePanelScanBuilder(int dimension, bool cosine, long expectedRows, long chunkBytes = BytePanels.ChunkBytes)
{
    private readonly BytePanels _panels = new(dimension, expectedRows, chunkBytes);
    private readonly GrowableArray<double> _norms = new(Math.Max(1, expectedRows));
    private readonly float[] _widened = new float[dimension];

    public int Count => _panels.Count;

    /// <summary>The rows appended so far.</summary>
    public BytePanels Panels => _panels;

    /// <summary>Expects <paramref name="rows"/> more rows (one allocation at their size instead of doubling).</summary>
    public void Reserve(long rows) => _panels.Reserve(rows);

    public void Append(ReadOnlySpan<byte> row)
    {
        _panels.Append(row);

        // Widened to floats, the exact norm sums 256-value chunks exactly (see GemmScan.ExactSquaredNorm).
        TensorPrimitives.ConvertTruncating(row, _widened);
        double squared = GemmScan.ExactSquaredNorm(_widened);
        _norms.Append(1)[0] = cosine ? Math.Sqrt(squared) : squared;
    }

    public BytePanelScan Build()
    {
        _panels.Trim();
        return new BytePanelScan(_panels, _norms.ToArray(), cosine);
    }
}
