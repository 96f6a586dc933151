using System.Numerics.Tensors;

namespace MLNet.KnnLinear.Search.Quantization;

/// <summary>
/// L2 and cosine over 8-bit scalar-quantized codes (faiss' <c>IndexScalarQuantizer</c>), searched on the codes: no
/// row is decoded. A decoded value is middle_j + step_j · c_j (<see cref="ScalarQuantizer"/>), so with
/// a_j = q_j − middle_j the squared L2 distance is Σ a_j² − 2 Σ (a_j step_j) c_j + Σ (step_j c_j)²: the query is
/// folded once into u = a ⊙ step, the codes' dot products with u are a byte-panel matrix product
/// (<see cref="BytePanelScan.ScanWidened"/>: each panel widened once for a whole block of queries), and the last term
/// is a number per row kept at add. Cosine codes hold unit-length rows (faiss: inner product on normalised rows), and
/// the key is 1 − q̂·x̂ = (1 − Σ q̂_j middle_j) − Σ (q̂_j step_j) c_j for the unit query q̂. The float expansion
/// rounds by about 1e-7 of Σ |u_j c_j| (a dimension whose range is far wider than the distances costs most), so it
/// only picks the candidates: <see cref="Refine"/> then computes each one's key directly, Σ (q − x̂)² over the row
/// decoded as faiss decodes it (float, as faiss), and ranks on those, so the distances reported are faiss' (to float
/// rounding), and only rows whose expanded keys cross within that rounding of the k-th could be missed.
/// </summary>
internal sealed class ScalarQuantizedScan(BytePanels codes, float[] rowTerms, ScalarQuantizer quantizer, bool cosine) : DistanceScan
{
    /// <summary>The codes, as byte panels.</summary>
    public BytePanels Codes => codes;

    public ScalarQuantizer Quantizer => quantizer;

    public override int RowAlignment => BytePanels.PanelRows;

    public override long MemoryBytes => codes.MemoryBytes + (rowTerms.LongLength * sizeof(float));

    public override PreparedQueries Prepare(ReadOnlySpan<float> queries, int count)
    {
        int d = codes.Dimension;
        var folded = PreparedQueries.Rent<float>((long)count * d);
        var terms = new float[count];
        var unit = new float[d];
        for (int q = 0; q < count; q++)
        {
            var query = queries.Slice(q * d, d);
            var u = folded.AsSpan(q * d, d);
            terms[q] = cosine ? FoldCosine(query, unit, u) : FoldL2(query, u);
        }

        return new FoldedQueries(count, folded, terms);
    }

    /// <summary>u = (q − middle) ⊙ step; returns Σ (q − middle)².</summary>
    private float FoldL2(ReadOnlySpan<float> query, Span<float> u)
    {
        var middle = quantizer.Middle;
        var step = quantizer.Step;
        double sum = 0;
        for (int j = 0; j < query.Length; j++)
        {
            float a = query[j] - middle[j];
            sum += a * (double)a;
            u[j] = a * step[j];
        }

        return (float)sum;
    }

    /// <summary>u = q̂ ⊙ step for the unit query q̂; returns 1 − q̂·middle (a zero query: u = 0 and 1, every row at 1).</summary>
    private float FoldCosine(ReadOnlySpan<float> query, Span<float> unit, Span<float> u)
    {
        query.CopyTo(unit);
        UnitRows.Normalize(unit, unit.Length);
        var middle = quantizer.Middle;
        var step = quantizer.Step;
        double dot = 0;
        for (int j = 0; j < query.Length; j++)
        {
            dot += unit[j] * (double)middle[j];
            u[j] = unit[j] * step[j];
        }

        return (float)(1 - dot);
    }

    public override unsafe void Scan(PreparedQueries queries, int queryBegin, int queryEnd, int rowBegin, int rowEnd, TopKSelector[] selectors)
    {
        var folded = (FoldedQueries)queries;
        var terms = folded.Terms;
        BytePanelScan.ScanWidened(codes, folded.Values, folded.Count, queryBegin, queryEnd, rowBegin, rowEnd, (q0, qb, r0, rb, dots) =>
        {
            for (int i = 0; i < qb; i++)
            {
                var selector = selectors[q0 + i - queryBegin];
                float term = terms[q0 + i];
                float* row = dots + (i * GemmScan.RowBlock);
                double threshold = selector.Threshold;
                for (int j = 0; j < rb; j++)
                {
                    float key = cosine ? term - row[j] : MathF.Max(0f, term + rowTerms[r0 + j] - (2f * row[j]));
                    if (key <= threshold)
                    {
                        selector.Add(key, r0 + j);
                        threshold = selector.Threshold;
                    }
                }
            }
        });
    }

    public override void CopyRow(int row, Span<float> destination)
    {
        var buffer = codes.Dimension <= 4096 ? stackalloc byte[codes.Dimension] : new byte[codes.Dimension];
        codes.CopyRow(row, buffer);
        quantizer.Decode(buffer, destination);
    }

    /// <summary>
    /// Replaces the keys of each query's found rows (<paramref name="k"/> a query, row −1 for none) by keys computed
    /// directly over the decoded rows (<see cref="DirectKey"/>), and sorts each query's results by (key, row) again.
    /// </summary>
    public void Refine(ReadOnlySpan<float> queries, int count, int k, Span<double> keys, Span<int> rows)
    {
        int d = codes.Dimension;
        var decoded = new float[d];
        var unit = new float[d];
        var found = new (double Key, int Row)[k];
        for (int q = 0; q < count; q++)
        {
            var query = QueryForKeys(cosine, queries.Slice(q * d, d), unit);
            int n = 0;
            for (int i = 0; i < k && rows[(q * k) + i] >= 0; i++, n++)
            {
                int row = rows[(q * k) + i];
                CopyRow(row, decoded);
                found[i] = (DirectKey(cosine, query, decoded), row);
            }

            Sort(found.AsSpan(0, n), keys.Slice(q * k, n), rows.Slice(q * k, n));
        }
    }

    /// <summary>The query as <see cref="DirectKey"/> takes it: as it is for L2, scaled to unit length into <paramref name="unit"/> for cosine.</summary>
    public static ReadOnlySpan<float> QueryForKeys(bool cosine, ReadOnlySpan<float> query, Span<float> unit)
    {
        if (!cosine)
        {
            return query;
        }

        query.CopyTo(unit);
        UnitRows.Normalize(unit, unit.Length);
        return unit;
    }

    /// <summary>
    /// The key of a decoded row, computed directly as faiss' scalar-quantizer distance does, in float: Σ (q − x̂)² for
    /// L2, 1 − q̂·x̂ for cosine (<paramref name="query"/> from <see cref="QueryForKeys"/>). <paramref name="decoded"/> is used as scratch.
    /// </summary>
    public static double DirectKey(bool cosine, ReadOnlySpan<float> query, Span<float> decoded)
    {
        if (cosine)
        {
            return 1 - (double)TensorPrimitives.Dot(query, decoded);
        }

        TensorPrimitives.Subtract(query, decoded, decoded);
        return TensorPrimitives.SumOfSquares(decoded);
    }

    /// <summary>Writes <paramref name="found"/> sorted by (key, row) into <paramref name="keys"/> and <paramref name="rows"/>.</summary>
    public static void Sort(Span<(double Key, int Row)> found, Span<double> keys, Span<int> rows)
    {
        found.Sort();
        for (int i = 0; i < found.Length; i++)
        {
            keys[i] = found[i].Key;
            rows[i] = found[i].Row;
        }
    }

    /// <summary>Row <paramref name="row"/>'s code.</summary>
    public void CopyCode(int row, Span<byte> destination) => codes.CopyRow(row, destination);

    private sealed class FoldedQueries(int count, float[] values, float[] terms) : PreparedQueries(count)
    {
        public override void Dispose() => Return(Values);

        /// <summary>The folded queries u, row-major (a pooled array, longer than the queries).</summary>
        public float[] Values { get; } = values;

        /// <summary>Per query: Σ (q − middle)² for L2, 1 − q̂·middle for cosine.</summary>
        public float[] Terms { get; } = terms;
    }
}
