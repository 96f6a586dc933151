using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Pipeline;
using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear.Knn;

/// <summary>
/// A kNN model with the exact index as ONNX: <see cref="ExactSearchOnnx"/>'s k nearest rows, their classes, the vote
/// and <see cref="KnnVoting"/>'s tie rule.
/// </summary>
internal static class KnnOnnxExport
{
    // 1 − 2^−24: a positive float times this is the float just below it (exactly Math.BitDecrement for normal floats).
    private const float OneStepDown = 1f - (1f / (1 << 24));

    public static void Check(KnnModelParameters model) => ExactSearchOnnx.Check(model.Index, "Knn");

    /// <summary>The model's graph (called only after <see cref="Check"/> passed).</summary>
    /// <returns>Scores (float [batch, classes]) and the 0-based predicted class (int64 [batch, 1]).</returns>
    public static (string Scores, string Predicted) Export(OnnxGraph g, KnnModelParameters model, string features)
    {
        var (distances, rows) = ExactSearchOnnx.Search(g, model.Index, features, model.NumberOfNeighbors);
        string classes = g.Gather(g.Longs(model.TrainingClasses.Select(c => (long)c), model.TrainingRowCount), rows);
        return Vote(g, model, distances, classes);
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
