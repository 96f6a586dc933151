using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Knn;

/// <summary>
/// A kNN model with the exact index as ONNX: the training rows as a constant, distances to all of them, TopK, the
/// neighbours' classes, the vote and <see cref="KnnVoting"/>'s tie rule.
/// </summary>
/// <remarks>
/// L2 and cosine distances are computed in double (ReduceSumSquare + Gemm as ML.NET's KMeans export, then the norms),
/// which is exact for whole-number pixel data as the model's own search is, so neighbours and their order agree;
/// on other data the two differ by float rounding, which can swap neighbours whose distances tie to about 1e-7.
/// L1 is Sub, Abs and ReduceSum over a batch × rows × features float tensor: exact on pixels, but it holds
/// 4 × rows × features bytes per query, so score a few rows per call (ML.NET's ApplyOnnxModel scores one at a time).
/// </remarks>
internal static class KnnOnnxExport
{
    /// <summary>
    /// The most training data written as a constant: a protobuf message (the whole ONNX file) stops at 2 GiB, and the
    /// exporter holds the rows twice while writing.
    /// </summary>
    public const long MaxTrainingBytes = 1L << 30;

    // 1 − 2^−24: a positive float times this is the float just below it (exactly Math.BitDecrement for normal floats).
    private const float OneStepDown = 1f - (1f / (1 << 24));

    public static void Check(KnnModelParameters model)
    {
        if (model.Index.Exact is null)
        {
            string kind = model.Index.Ivf is not null ? nameof(IvfIndexOptions) : nameof(HnswIndexOptions);
            throw new NotSupportedException(
                $"ONNX export: Knn with Index = {kind} cannot be exported. ONNX has no inverted-file or graph search, and an exact search " +
                "in its place would predict differently from the model. Fit with Index = new ExactIndexOptions() (the default) to export.");
        }

        long bytes = 4L * model.TrainingRowCount * model.FeatureCount;
        if (bytes > MaxTrainingBytes)
        {
            throw new NotSupportedException(
                $"ONNX export: Knn holds {model.TrainingRowCount:N0} training rows × {model.FeatureCount:N0} features, {bytes / (1 << 20):N0} MB as float32 " +
                $"constants; at most {MaxTrainingBytes >> 20:N0} MB are exported (an ONNX file is one protobuf message, which stops at 2 GB).");
        }
    }

    /// <returns>Scores (float [batch, classes]) and the 0-based predicted class (int64 [batch, 1]).</returns>
    public static (string Scores, string Predicted) Export(OnnxGraph g, KnnModelParameters model, string features)
    {
        Check(model);
        int rows = model.TrainingRowCount;
        int dimension = model.FeatureCount;
        var training = new float[(long)rows * dimension];
        for (int r = 0; r < rows; r++)
        {
            model.Index.CopyRow(r, training.AsSpan(r * dimension, dimension));
        }

        var (ranked, reported) = Distances(g, model.Distance, features, training, rows, dimension);
        var (values, indices) = g.SmallestK(ranked, model.NumberOfNeighbors, axis: 1);
        string distances = reported(values);
        string classes = g.Gather(g.Longs(model.TrainingClasses.Select(c => (long)c), rows), indices);
        return Vote(g, model, distances, classes);
    }

    /// <summary>The [batch, rows] values TopK ranks, and how to turn the k smallest into the distances the model reports (float).</summary>
    private static (string Ranked, Func<string, string> Reported) Distances(OnnxGraph g, KnnDistance distance, string features, float[] training, int rows, int dimension)
    {
        if (distance == KnnDistance.L1)
        {
            string queries = g.Unsqueeze(g.Cast(features, typeof(float)), 1);
            string sum = g.ReduceSum(g.Abs(g.Sub(queries, g.Floats(training, 1, rows, dimension))), [2], keepDims: false);
            return (sum, values => values);
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

    /// <summary><see cref="KnnVoting.Vote"/> over a batch: votes in double, the tied class holding the nearest neighbour wins.</summary>
    private static (string Scores, string Predicted) Vote(OnnxGraph g, KnnModelParameters model, string distances, string classes)
    {
        int classCount = model.ClassCount;
        long[] classRange = Enumerable.Range(0, classCount).Select(c => (long)c).ToArray();
        string oneHot = g.Cast(g.Equal(g.Unsqueeze(classes, 2), g.Longs(classRange, 1, 1, classCount)), typeof(double));
        string votes, total;
        if (model.Weighting == KnnWeighting.Uniform)
        {
            votes = g.ReduceSum(oneHot, [1], keepDims: false);
            total = g.Double(model.NumberOfNeighbors);
        }
        else
        {
            // 1 / d, or, when the nearest is at distance 0, one vote for each neighbour at distance 0.
            string zero = g.Float(0);
            string exactMatch = g.Equal(g.Slice(distances, [0], [1], [1]), zero);
            string weights = g.Where(exactMatch, g.Cast(g.Equal(distances, zero), typeof(double)), g.Div(g.Double(1), g.Cast(distances, typeof(double))));
            votes = g.ReduceSum(g.Mul(oneHot, g.Unsqueeze(weights, 2)), [1], keepDims: false);
            total = g.ReduceSum(weights, [1], keepDims: true);
        }

        string scores = g.Cast(g.Div(votes, total), typeof(float));

        // The first neighbour (nearest first) whose class has the top vote decides.
        string best = g.ReduceMax(votes, [1], keepDims: true);
        string holdsTop = g.Cast(g.Equal(g.GatherElements(votes, classes, axis: 1), best), typeof(float));
        string predicted = g.GatherElements(classes, g.ArgMax(holdsTop, axis: 1), axis: 1);

        // Every other class scoring at least the winner is lowered to the float just below it, so argmax(Score) is PredictedLabel.
        string top = g.GatherElements(scores, predicted, axis: 1);
        string other = g.Not(g.Equal(g.Longs(classRange, 1, classCount), predicted));
        string lowered = g.Where(g.And(other, g.NotLess(scores, top)), g.Mul(top, g.Float(OneStepDown)), scores);
        return (lowered, predicted);
    }
}
