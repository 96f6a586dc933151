using MLNet.KnnLinear.Kernels;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// Exact L2 and cosine distances from dot products, the faiss way: ‖q − x‖² = ‖q‖² − 2 q·x + ‖x‖² with the row norms
/// cached at fit, the dot products by the register-tiled <see cref="DotTile"/> over cache-sized blocks, negative
/// round-off clamped to 0. Blocking: a slice of <see cref="QueryBlock"/> queries × <see cref="DepthBlock"/> features
/// stays in L2 while panels of 16 rows × <see cref="DepthBlock"/> stream through L1; dot products of
/// <see cref="QueryBlock"/> × <see cref="RowBlock"/> pairs accumulate in a per-thread buffer across depth blocks.
/// </summary>
internal sealed unsafe class GemmScan : DistanceScan
{
    private const int QueryBlock = 144;
    private const int RowBlock = 512;
    private const int DepthBlock = 384;

    private readonly float[] _panels;
    private readonly float[] _rowNorms;
    private readonly int _count;
    private readonly int _dimension;
    private readonly bool _cosine;

    [ThreadStatic]
    private static float[]? t_dots;

    public GemmScan(ReadOnlySpan<float> rows, int count, int dimension, bool cosine)
    {
        _count = count;
        _dimension = dimension;
        _cosine = cosine;
        _panels = PanelPacking.Pack(rows, count, dimension);
        _rowNorms = new float[count];
        for (int r = 0; r < count; r++)
        {
            float squared = SquaredNorm.Compute(rows.Slice(r * dimension, dimension));
            _rowNorms[r] = cosine ? MathF.Sqrt(squared) : squared;
        }
    }

    public override int RowAlignment => PanelPacking.PanelRows;

    public override long MemoryBytes => (_panels.LongLength + _rowNorms.LongLength) * sizeof(float);

    public override PreparedQueries Prepare(float[] queries, int count)
    {
        // Zero rows after the last query: a micro-tile of 6 starting at any query stays inside the buffer.
        int padded = count + DotTile.Rows;
        var values = new float[(long)padded * _dimension];
        queries.AsSpan(0, count * _dimension).CopyTo(values);
        var norms = new float[count];
        for (int q = 0; q < count; q++)
        {
            float squared = SquaredNorm.Compute(values.AsSpan(q * _dimension, _dimension));
            norms[q] = _cosine ? MathF.Sqrt(squared) : squared;
        }

        return new Prepared(count, values, norms);
    }

    public override void Scan(PreparedQueries queries, int queryBegin, int queryEnd, int rowBegin, int rowEnd, TopKSelector[] selectors)
    {
        var prepared = (Prepared)queries;
        float[] dots = t_dots ??= new float[QueryBlock * RowBlock];
        int d = _dimension;
        fixed (float* a = prepared.Values, b = _panels, c = dots)
        {
            for (int q0 = queryBegin; q0 < queryEnd; q0 += QueryBlock)
            {
                int qb = Math.Min(QueryBlock, queryEnd - q0);
                int tiles = (qb + DotTile.Rows - 1) / DotTile.Rows;
                for (int r0 = rowBegin; r0 < rowEnd; r0 += RowBlock)
                {
                    int rb = Math.Min(RowBlock, rowEnd - r0);
                    int panels = PanelPacking.PanelCount(rb);
                    new Span<float>(c, tiles * DotTile.Rows * RowBlock).Clear();
                    for (int k0 = 0; k0 < d; k0 += DepthBlock)
                    {
                        int kc = Math.Min(DepthBlock, d - k0);
                        for (int p = 0; p < panels; p++)
                        {
                            float* panel = b + ((((long)(r0 / PanelPacking.PanelRows) + p) * PanelPacking.PanelRows * d) + ((long)k0 * PanelPacking.PanelRows));
                            for (int t = 0; t < tiles; t++)
                            {
                                float* tileA = a + ((long)(q0 + (t * DotTile.Rows)) * d) + k0;
                                DotTile.Accumulate(tileA, d, panel, kc, c + (t * DotTile.Rows * RowBlock) + (p * PanelPacking.PanelRows), RowBlock);
                            }
                        }
                    }

                    Select(prepared.Norms, q0, qb, r0, rb, c, selectors, queryBegin);
                }
            }
        }
    }

    public override void CopyRow(int row, Span<float> destination) => PanelPacking.Unpack(_panels, row, _dimension, destination);

    private void Select(float[] queryNorms, int q0, int qb, int r0, int rb, float* dots, TopKSelector[] selectors, int queryBegin)
    {
        for (int i = 0; i < qb; i++)
        {
            var selector = selectors[q0 + i - queryBegin];
            float qn = queryNorms[q0 + i];
            float* row = dots + (i * RowBlock);
            float threshold = selector.Threshold;
            for (int j = 0; j < rb; j++)
            {
                float distance = _cosine
                    ? CosineFromDot(row[j], qn, _rowNorms[r0 + j])
                    : MathF.Max(0f, qn + _rowNorms[r0 + j] - (2f * row[j]));
                if (distance <= threshold)
                {
                    selector.Add(distance, r0 + j);
                    threshold = selector.Threshold;
                }
            }
        }
    }

    private static float CosineFromDot(float dot, float queryNorm, float rowNorm)
        => queryNorm == 0f || rowNorm == 0f ? 1f : 1f - (dot / (queryNorm * rowNorm));

    private sealed class Prepared(int count, float[] values, float[] norms) : PreparedQueries(count)
    {
        public float[] Values { get; } = values;

        public float[] Norms { get; } = norms;
    }
}
