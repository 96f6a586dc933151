namespace MLNet.KnnLinear.Tests.Onnx;

/// <summary>How far ONNX Runtime's values are from ML.NET's.</summary>
public static class OnnxAgreement
{
    /// <summary>
    /// The largest |a − b| / max(|a|, |b|, <paramref name="floor"/>) over all rows and slots; the floor keeps values near
    /// zero from counting rounding noise as a large relative error.
    /// </summary>
    public static double MaxRelativeDifference(IReadOnlyList<double[]> actual, IReadOnlyList<double[]> expected, double floor = 1e-6)
    {
        actual.Should().HaveCount(expected.Count);
        double worst = 0;
        for (int r = 0; r < expected.Count; r++)
        {
            actual[r].Should().HaveCount(expected[r].Length, $"row {r} has as many values on both sides");
            for (int i = 0; i < expected[r].Length; i++)
            {
                double a = actual[r][i], b = expected[r][i];
                double scale = Math.Max(Math.Max(Math.Abs(a), Math.Abs(b)), floor);
                worst = double.IsNaN(a) || double.IsNaN(b) ? double.PositiveInfinity : Math.Max(worst, Math.Abs(a - b) / scale);
            }
        }

        return worst;
    }

    /// <summary>Per row, the 1-based index of the first maximum (as ML.NET's evaluators read Score).</summary>
    public static List<double> ArgmaxOfScores(IReadOnlyList<double[]> scores)
        => scores.Select(s => (double)(Array.IndexOf(s, s.Max()) + 1)).ToList();

    /// <summary>
    /// Whether two of the k + 1 training rows nearest to <paramref name="features"/> lie within 1e-4 relative of each
    /// other: where float32 and double distances may rank them differently.
    /// </summary>
    public static bool HasNeighbourTie(KnnModelParameters model, IEnumerable<double> features)
    {
        var neighbours = model.FindNearestNeighbors(features.Select(v => (float)v).ToArray(), model.NumberOfNeighbors + 1);
        return neighbours.Zip(neighbours.Skip(1)).Any(p => p.Second.Distance - p.First.Distance <= 1e-4 * Math.Max(p.Second.Distance, 1e-6f));
    }
}
