using MLNet.KnnLinear.Kernels;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// Exact L2 and cosine over byte rows (raw pixels) held as bytes, a quarter of the memory of float panels:
/// ‖q − x‖² = ‖q‖² − 2 q·x + ‖x‖² with the dot products in integers by <see cref="ByteDotTile"/>, blocked as
/// <see cref="GemmScan"/> (a slice of queries × features stays in L2, 16-row panels stream through L1). A query of
/// whole numbers in [−255, 255] is ranked exactly: integer dot products (32-bit within <see cref="ByteDotTile.MaxDepth"/>
/// features, then 64-bit), integer norms, and the exact integer squared distance; the same keys as
/// <see cref="GemmScan"/>'s exact mode. Any other query is ranked as <see cref="GemmScan"/> ranks it over float
/// rows, bit for bit: each panel slice is widened to floats and goes through the same float kernel, norms and
/// selection, so storing pixels as bytes changes no neighbour.
/// </summary>
internal sealed unsafe class BytePanelScan : DistanceScan
{
    private const int QueryBlock = GemmScan.QueryBlock;
    private const int RowBlock = GemmScan.RowBlock;

    /// <summary>Feature pairs per depth block of the integer kernel: 16 rows × 512 bytes of panel stay in L1.</summary>
    private const int DepthPairs = 256;

    /// <summary>Feature pairs whose 32-bit sums cannot overflow (see <see cref="ByteDotTile.MaxDepth"/>).</summary>
    private const int PairsPer32BitSum = ByteDotTile.MaxDepth / 2;

    private readonly BytePanels _panels;
    private readonly double[] _exactNorms;
    private readonly bool _cosine;
    private readonly Lazy<float[]> _floatNorms;

    [ThreadStatic]
    private static int[]? t_dots;

    [ThreadStatic]
    private static long[]? t_wideDots;

    [ThreadStatic]
    private static short[]? t_exactTail;

    [ThreadStatic]
    private static float[]? t_floatTail;

    [ThreadStatic]
    private static float[]? t_floatDots;

    [ThreadStatic]
    private static float[]? t_floatPanel;

    /// <summary>A scan over the rows in <paramref name="panels"/>, with their exact squared norms (their square roots for cosine).</summary>
    public BytePanelScan(BytePanels panels, double[] exactNorms, bool cosine)
    {
        _panels = panels;
        _exactNorms = exactNorms;
        _cosine = cosine;
        _floatNorms = new Lazy<float[]>(ComputeFloatNorms);
    }

    /// <summary>The rows as stored.</summary>
    public BytePanels Panels => _panels;

    public override int RowAlignment => BytePanels.PanelRows;

    public override long MemoryBytes => _panels.MemoryBytes + (_exactNorms.LongLength * sizeof(double)) + (_floatNorms.IsValueCreated ? _floatNorms.Value.LongLength * sizeof(float) : 0);

    public override bool IsExactFor(ReadOnlySpan<float> query) => GemmScan.IsSmallWholeNumbers(query);

    public override PreparedQueries Prepare(ReadOnlySpan<float> queries, int count)
    {
        int d = _panels.Dimension;
        var span = queries[..(count * d)];

        if (GemmScan.IsSmallWholeNumbers(span))
        {
            int lda = 2 * _panels.Pairs;
            var values = PreparedQueries.Rent<short>((long)count * lda);
            values.AsSpan(0, count * lda).Clear();   // the padding feature of an odd dimension reads as 0
            var norms = new double[count];
            for (int q = 0; q < count; q++)
            {
                var query = span.Slice(q * d, d);
                WholeNumbers.ToInt16(query, values.AsSpan(q * lda, d));
                double squared = GemmScan.ExactSquaredNorm(query);
                norms[q] = _cosine ? Math.Sqrt(squared) : squared;
            }

            return new ExactQueries(count, values, lda, norms);
        }

        var floats = PreparedQueries.Rent<float>(span.Length);
        span.CopyTo(floats);
        var floatNorms = new float[count];
        for (int q = 0; q < count; q++)
        {
            float squared = SquaredNorm.Compute(floats.AsSpan(q * d, d));
            floatNorms[q] = _cosine ? MathF.Sqrt(squared) : squared;
        }

        return new FloatQueries(count, floats, floatNorms);
    }

    public override void Scan(PreparedQueries queries, int queryBegin, int queryEnd, int rowBegin, int rowEnd, TopKSelector[] selectors)
    {
        if (queries is ExactQueries exact)
        {
            ScanExact(exact, queryBegin, queryEnd, rowBegin, rowEnd, selectors);
        }
        else
        {
            ScanFloat((FloatQueries)queries, queryBegin, queryEnd, rowBegin, rowEnd, selectors);
        }
    }

    public override void CopyRow(int row, Span<float> destination) => _panels.CopyRow(row, destination);

    private void ScanExact(ExactQueries queries, int queryBegin, int queryEnd, int rowBegin, int rowEnd, TopKSelector[] selectors)
    {
        int pairs = _panels.Pairs;
        int lda = queries.Stride;
        bool wide = pairs > PairsPer32BitSum;
        int[] dots = t_dots ??= new int[QueryBlock * RowBlock];
        long[]? wideDots = wide ? t_wideDots ??= new long[QueryBlock * RowBlock] : null;
        short[] tailBuffer = t_exactTail ??= new short[ByteDotTile.Rows * 2 * DepthPairs];
        fixed (short* a = queries.Values, tailTile = tailBuffer)
        fixed (int* c = dots)
        {
            for (int q0 = queryBegin; q0 < queryEnd; q0 += QueryBlock)
            {
                int qb = Math.Min(QueryBlock, queryEnd - q0);
                int tiles = (qb + ByteDotTile.Rows - 1) / ByteDotTile.Rows;
                int used = tiles * ByteDotTile.Rows * RowBlock;
                for (int r0 = rowBegin; r0 < rowEnd; r0 += RowBlock)
                {
                    int rb = Math.Min(RowBlock, rowEnd - r0);
                    int panels = (rb + BytePanels.PanelRows - 1) / BytePanels.PanelRows;
                    int firstPanel = r0 / BytePanels.PanelRows;
                    new Span<int>(c, used).Clear();
                    wideDots?.AsSpan(0, used).Clear();
                    for (int p0 = 0; p0 < pairs; p0 += DepthPairs)
                    {
                        int pc = Math.Min(DepthPairs, pairs - p0);

                        // A last tile that runs past the queries reads a zero-padded copy of this depth block instead,
                        // so queries are never copied whole to pad them.
                        int lastTileStart = q0 + ((tiles - 1) * ByteDotTile.Rows);
                        bool paddedTail = lastTileStart + ByteDotTile.Rows > queries.Count;
                        if (paddedTail)
                        {
                            QueryTail.Copy(a, lda, lastTileStart, queries.Count - lastTileStart, 2 * p0, 2 * pc, tailTile, ByteDotTile.Rows);
                        }

                        for (int p = 0; p < panels; p++)
                        {
                            byte* panel = _panels.Panel(firstPanel + p) + ((long)p0 * ByteDotTile.PairBytes);
                            for (int t = 0; t < tiles; t++)
                            {
                                bool isTail = paddedTail && t == tiles - 1;
                                short* tile = isTail ? tailTile : a + ((long)(q0 + (t * ByteDotTile.Rows)) * lda) + (2 * p0);
                                ByteDotTile.Accumulate(tile, isTail ? 2 * pc : lda, panel, pc, c + (t * ByteDotTile.Rows * RowBlock) + (p * BytePanels.PanelRows), RowBlock);
                            }
                        }

                        // Past 32,768 features the 32-bit sums move into 64-bit ones before they could overflow.
                        int done = p0 + pc;
                        if (wideDots is not null && (done % PairsPer32BitSum == 0 || done == pairs))
                        {
                            for (int i = 0; i < used; i++)
                            {
                                wideDots[i] += c[i];
                            }

                            new Span<int>(c, used).Clear();
                        }
                    }

                    SelectExact(queries.Norms, q0, qb, r0, rb, c, wideDots, selectors, queryBegin);
                }
            }
        }

        GC.KeepAlive(_panels); // the kernels read its native memory through raw pointers
    }

    private void SelectExact(double[] queryNorms, int q0, int qb, int r0, int rb, int* dots, long[]? wideDots, TopKSelector[] selectors, int queryBegin)
    {
        for (int i = 0; i < qb; i++)
        {
            var selector = selectors[q0 + i - queryBegin];
            double qn = queryNorms[q0 + i];
            int at = i * RowBlock;
            double threshold = selector.Threshold;
            for (int j = 0; j < rb; j++)
            {
                long dot = wideDots is null ? dots[at + j] : wideDots[at + j];
                double distance = GemmScan.ExactDistance(_cosine, dot, qn, _exactNorms[r0 + j]);
                if (distance <= threshold)
                {
                    selector.Add(distance, r0 + j);
                    threshold = selector.Threshold;
                }
            }
        }
    }

    /// <summary>A fractional query: <see cref="GemmScan"/>'s float path over the panels widened a depth block at a time.</summary>
    private void ScanFloat(FloatQueries queries, int queryBegin, int queryEnd, int rowBegin, int rowEnd, TopKSelector[] selectors)
    {
        var rowNorms = _floatNorms.Value;
        ScanWidened(_panels, queries.Values, queries.Count, queryBegin, queryEnd, rowBegin, rowEnd, (q0, qb, r0, rb, dots)
            => GemmScan.SelectFloat(_cosine, rowNorms, queries.Norms, q0, qb, r0, rb, dots, RowBlock, selectors, queryBegin));
    }

    /// <summary>Receives the float dot products of queries [q0, q0 + qb) with rows [r0, r0 + rb), <see cref="RowBlock"/> apart.</summary>
    internal delegate void DotBlock(int q0, int qb, int r0, int rb, float* dots);

    /// <summary>
    /// Float dot products of float queries (row-major, <paramref name="queryCount"/> of them) with byte panels, as
    /// <see cref="GemmScan"/> blocks them: each 16-row panel's depth block is widened to floats once
    /// (<see cref="BytePanelWidening"/>) and goes through <see cref="DotTile"/> for every query tile; each finished
    /// block of dots goes to <paramref name="select"/>. Shared by fractional queries against pixel rows and every
    /// query against scalar-quantized codes.
    /// </summary>
    internal static void ScanWidened(BytePanels panels, float[] queryValues, int queryCount, int queryBegin, int queryEnd, int rowBegin, int rowEnd, DotBlock select)
    {
        int d = panels.Dimension;
        float[] dots = t_floatDots ??= new float[QueryBlock * RowBlock];
        float[] panelBuffer = t_floatPanel ??= new float[BytePanels.PanelRows * GemmScan.DepthBlock];
        float[] tailBuffer = t_floatTail ??= new float[DotTile.Rows * GemmScan.DepthBlock];
        fixed (float* a = queryValues, c = dots, widened = panelBuffer, tail = tailBuffer)
        {
            for (int q0 = queryBegin; q0 < queryEnd; q0 += QueryBlock)
            {
                int qb = Math.Min(QueryBlock, queryEnd - q0);
                int tiles = (qb + DotTile.Rows - 1) / DotTile.Rows;
                int used = tiles * DotTile.Rows * RowBlock;
                for (int r0 = rowBegin; r0 < rowEnd; r0 += RowBlock)
                {
                    int rb = Math.Min(RowBlock, rowEnd - r0);
                    int panelCount = (rb + BytePanels.PanelRows - 1) / BytePanels.PanelRows;
                    new Span<float>(c, used).Clear();
                    for (int k0 = 0; k0 < d; k0 += GemmScan.DepthBlock)
                    {
                        int kc = Math.Min(GemmScan.DepthBlock, d - k0);
                        int lastTileStart = q0 + ((tiles - 1) * DotTile.Rows);
                        bool paddedTail = lastTileStart + DotTile.Rows > queryCount;
                        if (paddedTail)
                        {
                            QueryTail.Copy(a, d, lastTileStart, queryCount - lastTileStart, k0, kc, tail, DotTile.Rows);
                        }

                        for (int p = 0; p < panelCount; p++)
                        {
                            panels.WidenPanel((r0 / BytePanels.PanelRows) + p, k0, kc, widened);
                            for (int t = 0; t < tiles; t++)
                            {
                                bool isTail = paddedTail && t == tiles - 1;
                                float* tileA = isTail ? tail : a + ((long)(q0 + (t * DotTile.Rows)) * d) + k0;
                                DotTile.Accumulate(tileA, isTail ? kc : d, widened, kc, c + (t * DotTile.Rows * RowBlock) + (p * BytePanels.PanelRows), RowBlock);
                            }
                        }
                    }

                    select(q0, qb, r0, rb, c);
                }
            }
        }

        GC.KeepAlive(panels);
    }

    /// <summary>The float norms <see cref="GemmScan"/> would hold for these rows (square roots for cosine), made on the first fractional query.</summary>
    private float[] ComputeFloatNorms()
    {
        var norms = new float[_panels.Count];
        var row = new float[_panels.Dimension];
        for (int r = 0; r < norms.Length; r++)
        {
            _panels.CopyRow(r, row);
            float squared = SquaredNorm.Compute(row);
            norms[r] = _cosine ? MathF.Sqrt(squared) : squared;
        }

        return norms;
    }

    private sealed class ExactQueries(int count, short[] values, int stride, double[] norms) : PreparedQueries(count)
    {
        public override void Dispose() => Return(Values);

        /// <summary>Queries as 16-bit integers, <see cref="Stride"/> apart (the dimension rounded up to even, zero-padded); a pooled array, longer than the queries.</summary>
        public short[] Values { get; } = values;

        public int Stride { get; } = stride;

        /// <summary>Exact squared norms (their square roots for cosine).</summary>
        public double[] Norms { get; } = norms;
    }

    private sealed class FloatQueries(int count, float[] values, float[] norms) : PreparedQueries(count)
    {
        public override void Dispose() => Return(Values);

        public float[] Values { get; } = values;

        public float[] Norms { get; } = norms;
    }
}
