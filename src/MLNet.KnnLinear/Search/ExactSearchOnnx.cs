using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// An exact index's search as ONNX: the rows as a constant, distances from each query to all of them, TopK (ties in
/// row order, as the index ranks them), and the distances as the index reports them.
/// </summary>
/// <remarks>
/// L2 and cosine distances are computed in double (ReduceSumSquare + Gemm as ML.NET's KMeans export, then the norms),
/// which is exact for whole-number pixel data as the index's own search is, so neighbours and their order agree;
/// on other data the two differ by float rounding, which can swap neighbours whose distances tie to about 1e-7.
/// L1 is Sub and ReduceL1 over chunks of the rows (exact on pixels): about 1 MB of difference tensor per query at a time.
/// </remarks>
internal static class ExactSearchOnnx
{
    /// <summary>
    /// The most training data written as a constant: a protobuf message (the whole ONNX file) stops at 2 GiB, and the
    /// exporter holds the rows twice while writing.
    /// </summary>
    public const long MaxRowBytes = 1L << 30;

    /// <summary>The difference tensor of one L1 chunk per query: small enough to stay in cache between Sub and ReduceL1.</summary>
    public const long L1ChunkBytes = 1L << 20;

    /// <summary>Throws <see cref="NotSupportedException"/> naming <paramref name="component"/> and the option when the index cannot be exported.</summary>
    public static void Check(NeighborIndex index, string component)
    {
        if (index.Refined is not null)
        {
            throw new NotSupportedException(
                $"ONNX export: {component} with an index that re-ranks its candidates (RefineFactor) cannot be exported: " +
                "ONNX has no two-stage search of codes then rows. Export an index without RefineFactor (an exact index without Encoding ranks by the full rows).");
        }

        if (index.ExactPq is not null)
        {
            throw new NotSupportedException(
                $"ONNX export: {component} with an index of product-quantized codes (ExactIndexOptions.Encoding = ProductQuantizerEncoding) cannot be exported: " +
                "the exported search would compare full rows, not the codes' tables. Export an index without Encoding, or with ScalarQuantizerEncoding (L2).");
        }

        if (index.Exact is null)
        {
            string kind = index.Hnsw is not null ? nameof(HnswIndexOptions) : nameof(IvfIndexOptions);
            throw new NotSupportedException(
                $"ONNX export: {component} with Index = {kind} cannot be exported. ONNX has no inverted-file or graph search, and an exact search " +
                "in its place would find different neighbours from the model's. Use Index = new ExactIndexOptions() (the default) to export.");
        }

        if (index.Exact.Quantizer is not null && index.Distance == KnnDistance.Cosine)
        {
            // An L2 index of codes exports its decoded rows (the search it makes); cosine over codes ranks by 1 − q̂·x̂
            // with x̂ as decoded, not renormalised, which the exported cosine (x / ‖x‖) would not reproduce.
            throw new NotSupportedException(
                $"ONNX export: {component} with a cosine index of 8-bit codes (ExactIndexOptions.Encoding = ScalarQuantizerEncoding) cannot be exported: " +
                "the exported cosine would renormalise the decoded rows and rank differently. Export an L2 index of codes, or a cosine index without Encoding.");
        }

        long bytes = 4L * index.Count * index.Dimension;
        if (bytes > MaxRowBytes)
        {
            throw new NotSupportedException(
                $"ONNX export: {component} holds {index.Count:N0} rows × {index.Dimension:N0} features, {bytes / (1 << 20):N0} MB as float32 " +
                $"constants; at most {MaxRowBytes >> 20:N0} MB are exported (an ONNX file is one protobuf message, which stops at 2 GB).");
        }
    }

    /// <returns>The k nearest rows' distances (float [batch, k], ascending) and row numbers (int64 [batch, k]).</returns>
    public static (string Distances, string Rows) Search(OnnxGraph g, NeighborIndex index, string features, int k)
    {
        int rows = index.Count;
        int dimension = index.Dimension;
        var values = new float[(long)rows * dimension];
        for (int r = 0; r < rows; r++)
        {
            index.CopyRow(r, values.AsSpan(r * dimension, dimension));
        }

        var (ranked, reported) = Distances(g, index.Distance, features, values, rows, dimension);
        var (smallest, found) = g.SmallestK(ranked, k, axis: 1);
        return (reported(smallest), found);
    }

    /// <summary>
    /// Σ |q − x| for every query and row, [batch, rows] float. ONNX has no L1 distance operator and ML.NET's export
    /// context cannot write loops, so the rows are split into chunks of about <see cref="L1ChunkBytes"/> per query,
    /// each a Sub and a ReduceL1 (Abs and sum in one pass) over a batch × chunk × features tensor, concatenated: ONNX
    /// Runtime frees each chunk's difference tensor before the next, so a query holds a few MB, not rows × features × 4.
    /// </summary>
    private static string L1Distances(OnnxGraph g, string features, float[] training, int rows, int dimension)
    {
        string queries = g.Unsqueeze(g.Cast(features, typeof(float)), 1);
        int chunk = (int)Math.Clamp(L1ChunkBytes / (4L * dimension), 1, rows);
        var parts = new List<string>();
        for (int first = 0; first < rows; first += chunk)
        {
            int count = Math.Min(chunk, rows - first);
            string part = g.Floats(new ArraySegment<float>(training, first * dimension, count * dimension), 1, count, dimension);
            parts.Add(g.ReduceL1(g.Sub(queries, part), [2], keepDims: false));
        }

        return parts.Count == 1 ? parts[0] : g.Concat(1, [.. parts]);
    }

    /// <summary>The [batch, rows] values TopK ranks, and how to turn the k smallest into the distances the model reports (float).</summary>
    private static (string Ranked, Func<string, string> Reported) Distances(OnnxGraph g, KnnDistance distance, string features, float[] training, int rows, int dimension)
    {
        if (distance == KnnDistance.L1)
        {
            return (L1Distances(g, features, training, rows, dimension), values => values);
        }

        string x = g.Cast(features, typeof(double));
        string t = g.Cast(g.Floats(training, rows, dimension), typeof(double));
        var squaredNorms = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double sum = 0;
            foreach (float v in training.AsSpan(r * dimension, dimension))
            {
                sum += (double)v * v;
            }

            squaredNorms[r] = sum;
        }

        string queryNorms = g.ReduceSumSquare(x, [1], keepDims: true);
        if (distance == KnnDistance.L2)
        {
            // ‖q‖² + ‖x‖² − 2 q·x, not below 0; ranked squared, reported as the distance.
            string squared = g.Max(g.Add(g.GemmTransposed(x, t, g.Doubles(squaredNorms, rows), alpha: -2f), queryNorms), g.Double(0));
            return (squared, values => g.Cast(g.Sqrt(values), typeof(float)));
        }

        // 1 − q·x / (‖q‖ ‖x‖); a zero vector is at distance 1 from every row.
        string norms = g.Doubles(squaredNorms.Select(Math.Sqrt), rows);
        string denominator = g.Mul(g.Sqrt(queryNorms), norms);
        string cosine = g.Sub(g.Double(1), g.Div(g.GemmTransposed(x, t, g.Double(0)), denominator));
        string ranked = g.Where(g.Equal(denominator, g.Double(0)), g.Double(1), cosine);
        return (ranked, values => g.Cast(values, typeof(float)));
    }
}
