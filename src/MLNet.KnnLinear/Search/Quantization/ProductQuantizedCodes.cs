using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Search.Quantization;

/// <summary>
/// What the exact and inverted-file indexes of product-quantized codes share: encoding rows on the threads, a query's
/// tables, the ranking key of a table sum, and the results written out as distances.
/// </summary>
internal static class ProductQuantizedCodes
{
    /// <summary>Rows encoded a block at a time on the threads: 4,096 rows a block.</summary>
    private const int EncodeBlockRows = 4096;

    /// <summary>
    /// Encodes every row of <paramref name="rows"/> into <paramref name="codes"/> from <paramref name="codeStart"/> on
    /// (row-major, m bytes each), cosine rows scaled to unit length first. Arrays, not spans, so the threads read the
    /// caller's chunk and write its codes in place (no copy of either). Rows are independent, so blocks go to the
    /// threads in any order with the same codes.
    /// </summary>
    public static void Encode(ProductQuantizer quantizer, float[] rows, bool unitRows, byte[] codes, long codeStart, int maxThreads)
    {
        int d = quantizer.Dimension;
        int m = quantizer.Subquantizers;
        int n = rows.Length / d;
        int blocks = (n + EncodeBlockRows - 1) / EncodeBlockRows;
        var codeArray = codes.AsMemory((int)codeStart, n * m);
        int threads = Math.Max(1, Math.Min(KnnLinearParallelism.ThreadsFor(maxThreads), blocks));
        ParallelRanges.Run(threads, t =>
        {
            var table = new float[quantizer.TableLength];
            var unit = new float[d];
            for (int b = t; b < blocks; b += threads)
            {
                Cancellation.ThrowIfRequested();
                int end = Math.Min(n, (b + 1) * EncodeBlockRows);
                for (int r = b * EncodeBlockRows; r < end; r++)
                {
                    ReadOnlySpan<float> row = rows.AsSpan(r * d, d);
                    if (unitRows)
                    {
                        row.CopyTo(unit);
                        UnitRows.Normalize(unit, d);
                        row = unit;
                    }

                    quantizer.Encode(row, codeArray.Span.Slice(r * m, m), table);
                }
            }
        });
    }

    /// <summary>The metric an index of <paramref name="distance"/> ranks codes by (inner product only for faiss' inner-product files).</summary>
    public static CodeMetric MetricFor(KnnDistance distance, bool innerProduct)
        => distance == KnnDistance.L2 ? CodeMetric.L2 : innerProduct ? CodeMetric.InnerProduct : CodeMetric.UnitL2;

    /// <summary>
    /// A query's tables: squared L2 to every centroid (the query scaled to unit length for cosine; its scaled copy goes
    /// to <paramref name="unit"/>, <see cref="ProductQuantizer.Dimension"/> floats), or inner products.
    /// </summary>
    public static void QueryTables(ProductQuantizer quantizer, ReadOnlySpan<float> query, CodeMetric metric, Span<float> unit, Span<float> table)
    {
        if (metric == CodeMetric.L2)
        {
            quantizer.L2Tables(query, table);
            return;
        }

        query.CopyTo(unit);
        UnitRows.Normalize(unit, quantizer.Dimension);
        if (metric == CodeMetric.UnitL2)
        {
            quantizer.L2Tables(unit, table);
        }
        else
        {
            quantizer.InnerProductTables(unit, table);
        }
    }

    /// <summary>
    /// The ranking key of a code whose table sum is <paramref name="sum"/>, beside <paramref name="offset"/> (an inverted
    /// list's ‖q − c‖², or ⟨q̂, c⟩ for inner product; 0 without one): a squared L2 distance (at least 0), half of one for
    /// cosine, or 1 − similarity.
    /// </summary>
    public static double Key(CodeMetric metric, float offset, float sum) => metric switch
    {
        CodeMetric.L2 => Math.Max(0f, offset + sum),
        CodeMetric.UnitL2 => 0.5 * Math.Max(0f, offset + sum),
        _ => 1.0 - (offset + sum),
    };

    /// <summary>Keys to distances (the root for L2), query-major, k each; row −1 where fewer than k were found.</summary>
    public static void WriteResults(KnnDistance distance, ReadOnlySpan<double> keys, ReadOnlySpan<int> found, int k, Span<float> distances, Span<int> rows)
    {
        for (int i = 0; i < found.Length; i++)
        {
            rows[i] = found[i];
            distances[i] = found[i] < 0 ? float.PositiveInfinity : FlatIndex.ToDistance(distance, keys[i]);
        }
    }
}
