using System.Numerics.Tensors;
using MLNet.KnnLinear.Kernels;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// Exact L2 and cosine distances from dot products, the faiss way: ‖q − x‖² = ‖q‖² − 2 q·x + ‖x‖² with the row norms
/// cached at fit, the dot products by the register-tiled <see cref="DotTile"/> over cache-sized blocks, negative
/// round-off clamped to 0. Blocking: a slice of <see cref="QueryBlock"/> queries × <see cref="DepthBlock"/> features
/// stays in L2 while panels of 16 rows × <see cref="DepthBlock"/> stream through L1; dot products of
/// <see cref="QueryBlock"/> × <see cref="RowBlock"/> pairs accumulate in a per-thread buffer across depth blocks.
/// <para>
/// Exact mode. When every row and every query is a whole number in [−255, 255] (raw pixels), the distances are
/// computed exactly: each product is below 2^16, so a depth block of <see cref="ExactDepthBlock"/> = 256 features
/// sums to an integer below 2^24, which float32 FMA chains hold without rounding; the blocks' sums are added in
/// double (exact below 2^53), norms are exact doubles, and ‖q‖² − 2 q·x + ‖x‖² is then the exact integer squared
/// distance. In plain float32 the sums of pixel products pass 2^24 and round, so near-equal neighbours could swap.
/// Other data are ranked by the float32 expansion, whose error is about 1e-7 of ‖q‖² + ‖x‖².
/// </para>
/// </summary>
internal sealed unsafe class GemmScan : DistanceScan
{
    internal const int QueryBlock = 144;
    internal const int RowBlock = 512;
    internal const int DepthBlock = 384;
    private const int ExactDepthBlock = 256;
    private const float ExactRange = 255f;

    private readonly FloatPanels _panels;
    private readonly float[] _rowNorms;
    private readonly double[]? _exactRowNorms;
    private readonly int _dimension;
    private readonly bool _cosine;

    [ThreadStatic]
    private static float[]? t_dots;

    [ThreadStatic]
    private static double[]? t_exactDots;

    [ThreadStatic]
    private static float[]? t_tailTile;

    /// <summary>A scan over rows laid out by a <see cref="GemmScanBuilder"/> (panels, norms, and exact norms in exact mode).</summary>
    public GemmScan(FloatPanels panels, float[] rowNorms, double[]? exactRowNorms, int dimension, bool cosine)
    {
        _panels = panels;
        _rowNorms = rowNorms;
        _exactRowNorms = exactRowNorms;
        _dimension = dimension;
        _cosine = cosine;
    }

    /// <summary>Whether distances to these rows are computed exactly (every row value a whole number in [−255, 255]).</summary>
    public bool IsExact => _exactRowNorms is not null;

    /// <summary>True when every value is a whole number in [−255, 255], the range exact mode sums without rounding.</summary>
    public static bool IsSmallWholeNumbers(ReadOnlySpan<float> values) => WholeNumbers.AllWithin(values, -ExactRange, ExactRange);

    public override int RowAlignment => PanelPacking.PanelRows;

    public override long MemoryBytes => _panels.MemoryBytes + (_rowNorms.LongLength * sizeof(float)) + ((_exactRowNorms?.LongLength ?? 0) * sizeof(double));

    public override bool IsExactFor(ReadOnlySpan<float> query) => IsExact && IsSmallWholeNumbers(query);

    public override PreparedQueries Prepare(ReadOnlySpan<float> queries, int count)
    {
        var values = Prepared.RentCopy(queries[..(count * _dimension)]);
        var norms = new float[count];
        for (int q = 0; q < count; q++)
        {
            float squared = SquaredNorm.Compute(values.AsSpan(q * _dimension, _dimension));
            norms[q] = _cosine ? MathF.Sqrt(squared) : squared;
        }

        double[]? exactNorms = null;
        if (IsExact && IsSmallWholeNumbers(values.AsSpan(0, count * _dimension)))
        {
            exactNorms = new double[count];
            for (int q = 0; q < count; q++)
            {
                double squared = ExactSquaredNorm(values.AsSpan(q * _dimension, _dimension));
                exactNorms[q] = _cosine ? Math.Sqrt(squared) : squared;
            }
        }

        return new Prepared(count, values, norms, exactNorms);
    }

    public override void Scan(PreparedQueries queries, int queryBegin, int queryEnd, int rowBegin, int rowEnd, TopKSelector[] selectors)
    {
        var prepared = (Prepared)queries;

        // Exact mode clears the float tile buffer before every depth block and carries the sums in double instead.
        bool exact = prepared.ExactNorms is not null;
        int depthBlock = exact ? ExactDepthBlock : DepthBlock;
        float[] dots = t_dots ??= new float[QueryBlock * RowBlock];
        double[]? sums = exact ? t_exactDots ??= new double[QueryBlock * RowBlock] : null;
        float[] tailTile = t_tailTile ??= new float[DotTile.Rows * DepthBlock];
        int d = _dimension;
        fixed (float* a = prepared.Values, c = dots, tail = tailTile)
        {
            for (int q0 = queryBegin; q0 < queryEnd; q0 += QueryBlock)
            {
                int qb = Math.Min(QueryBlock, queryEnd - q0);
                int tiles = (qb + DotTile.Rows - 1) / DotTile.Rows;
                int used = tiles * DotTile.Rows * RowBlock;
                for (int r0 = rowBegin; r0 < rowEnd; r0 += RowBlock)
                {
                    int rb = Math.Min(RowBlock, rowEnd - r0);
                    int panels = PanelPacking.PanelCount(rb);
                    new Span<float>(c, used).Clear();
                    for (int k0 = 0; k0 < d; k0 += depthBlock)
                    {
                        int kc = Math.Min(depthBlock, d - k0);
                        if (sums is not null && k0 > 0)
                        {
                            new Span<float>(c, used).Clear();
                        }

                        // The micro-kernel reads 6 query rows; a last tile that runs past the queries reads a
                        // zero-padded copy of this depth block instead, so queries are never copied whole to pad them.
                        int lastTileStart = q0 + ((tiles - 1) * DotTile.Rows);
                        bool paddedTail = lastTileStart + DotTile.Rows > prepared.Count;
                        if (paddedTail)
                        {
                            QueryTail.Copy(a, _dimension, lastTileStart, prepared.Count - lastTileStart, k0, kc, tail, DotTile.Rows);
                        }

                        for (int p = 0; p < panels; p++)
                        {
                            float* panel = _panels.Panel((r0 / PanelPacking.PanelRows) + p) + ((long)k0 * PanelPacking.PanelRows);
                            for (int t = 0; t < tiles; t++)
                            {
                                bool isTail = paddedTail && t == tiles - 1;
                                float* tileA = isTail ? tail : a + ((long)(q0 + (t * DotTile.Rows)) * d) + k0;
                                DotTile.Accumulate(tileA, isTail ? kc : d, panel, kc, c + (t * DotTile.Rows * RowBlock) + (p * PanelPacking.PanelRows), RowBlock);
                            }
                        }

                        if (sums is not null)
                        {
                            // Widen the block's exact float sums and add them to the double sums, vectorised.
                            var blockSums = new ReadOnlySpan<float>(c, used);
                            if (k0 == 0)
                            {
                                TensorPrimitives.ConvertChecked(blockSums, sums.AsSpan(0, used));
                            }
                            else
                            {
                                AddWidened(blockSums, sums.AsSpan(0, used));
                            }
                        }
                    }

                    if (sums is not null)
                    {
                        SelectExact(prepared.ExactNorms!, q0, qb, r0, rb, sums, selectors, queryBegin);
                    }
                    else
                    {
                        Select(prepared.Norms, q0, qb, r0, rb, c, selectors, queryBegin);
                    }
                }
            }
        }

        GC.KeepAlive(_panels); // the finalizer frees what the panel pointers point into
    }

    public override void CopyRow(int row, Span<float> destination) => _panels.CopyRow(row, destination);

    private void Select(float[] queryNorms, int q0, int qb, int r0, int rb, float* dots, TopKSelector[] selectors, int queryBegin)
        => SelectFloat(_cosine, _rowNorms, queryNorms, q0, qb, r0, rb, dots, RowBlock, selectors, queryBegin);

    /// <summary>
    /// Offers the float32 distances of queries [q0, q0 + qb) to rows [r0, r0 + rb) to their selectors, from dot
    /// products at <paramref name="dots"/> (row stride <paramref name="ldDots"/>) and float norms (square roots for
    /// cosine): ‖q‖² + ‖x‖² − 2 q·x clamped at 0, or 1 − cosine. Shared by the float and byte panel scans, so a
    /// fractional query ranks the same whichever stores the rows.
    /// </summary>
    internal static void SelectFloat(bool cosine, float[] rowNorms, float[] queryNorms, int q0, int qb, int r0, int rb, float* dots, int ldDots, TopKSelector[] selectors, int queryBegin)
    {
        for (int i = 0; i < qb; i++)
        {
            var selector = selectors[q0 + i - queryBegin];
            float qn = queryNorms[q0 + i];
            float* row = dots + (i * ldDots);
            double threshold = selector.Threshold;
            for (int j = 0; j < rb; j++)
            {
                float distance = cosine
                    ? CosineFromDot(row[j], qn, rowNorms[r0 + j])
                    : MathF.Max(0f, qn + rowNorms[r0 + j] - (2f * row[j]));
                if (distance <= threshold)
                {
                    selector.Add(distance, r0 + j);
                    threshold = selector.Threshold;
                }
            }
        }
    }

    /// <summary>The exact-mode distance from exact (integer) dot product and norms: ‖q‖² + ‖x‖² − 2 q·x, or 1 − cosine from the norms' roots.</summary>
    internal static double ExactDistance(bool cosine, double dot, double queryNorm, double rowNorm)
        => cosine
            ? (queryNorm == 0 || rowNorm == 0 ? 1 : 1 - (dot / (queryNorm * rowNorm)))
            : queryNorm + rowNorm - (2 * dot);

    /// <summary>
    /// sums += values, widened to double through an 8 KB buffer that stays in L1 (a block-sized one would push the
    /// query slice and the panels out of L2).
    /// </summary>
    private static void AddWidened(ReadOnlySpan<float> values, Span<double> sums)
    {
        Span<double> widened = stackalloc double[1024];
        for (int i = 0; i < values.Length; i += widened.Length)
        {
            int n = Math.Min(widened.Length, values.Length - i);
            TensorPrimitives.ConvertChecked(values.Slice(i, n), widened[..n]);
            TensorPrimitives.Add(sums.Slice(i, n), widened[..n], sums.Slice(i, n));
        }
    }

    private void SelectExact(double[] queryNorms, int q0, int qb, int r0, int rb, double[] dots, TopKSelector[] selectors, int queryBegin)
    {
        var rowNorms = _exactRowNorms!;
        for (int i = 0; i < qb; i++)
        {
            var selector = selectors[q0 + i - queryBegin];
            double qn = queryNorms[q0 + i];
            int at = i * RowBlock;
            double threshold = selector.Threshold;
            for (int j = 0; j < rb; j++)
            {
                double distance = ExactDistance(_cosine, dots[at + j], qn, rowNorms[r0 + j]);
                if (distance <= threshold)
                {
                    selector.Add(distance, r0 + j);
                    threshold = selector.Threshold;
                }
            }
        }
    }

    /// <summary>
    /// Σ x² of whole numbers in [−255, 255], exactly: each 256-value chunk sums (in any order, so vectorised) to an
    /// integer below 2^24, which float holds exactly; the chunks add in double.
    /// </summary>
    public static double ExactSquaredNorm(ReadOnlySpan<float> x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i += ExactDepthBlock)
        {
            sum += TensorPrimitives.SumOfSquares(x.Slice(i, Math.Min(ExactDepthBlock, x.Length - i)));
        }

        return sum;
    }

    internal static float CosineFromDot(float dot, float queryNorm, float rowNorm)
        => queryNorm == 0f || rowNorm == 0f ? 1f : 1f - (dot / (queryNorm * rowNorm));

    private sealed class Prepared(int count, float[] values, float[] norms, double[]? exactNorms) : PreparedQueries(count)
    {
        /// <summary>The queries, row-major (a pooled array: longer than the queries).</summary>
        public float[] Values { get; } = values;

        public static float[] RentCopy(ReadOnlySpan<float> queries)
        {
            var copy = Rent<float>(queries.Length);
            queries.CopyTo(copy);
            return copy;
        }

        public override void Dispose() => Return(Values);

        public float[] Norms { get; } = norms;

        /// <summary>Exact norms when both rows and queries are small whole numbers (exact mode), else null.</summary>
        public double[]? ExactNorms { get; } = exactNorms;
    }
}
