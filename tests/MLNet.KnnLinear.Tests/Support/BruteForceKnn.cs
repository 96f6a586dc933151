namespace MLNet.KnnLinear.Tests.Support;

/// <summary>
/// An independent, deliberately naive k-NN classifier in double precision: the reference the library's predictions
/// are checked against. Ties in distance go to the lower row; ties in votes to the tied class with the nearest neighbour.
/// </summary>
public static class BruteForceKnn
{
    public static (int Predicted, double[] Scores) Predict(float[][] train, int[] classes, int classCount, float[] query, int k, KnnDistance distance, KnnWeighting weighting)
    {
        var neighbours = Enumerable.Range(0, train.Length)
            .Select(r => (Distance: Distance(train[r], query, distance), Row: r))
            .OrderBy(n => n.Distance).ThenBy(n => n.Row)
            .Take(k)
            .ToArray();
        bool exact = weighting == KnnWeighting.InverseDistance && neighbours[0].Distance == 0;
        var votes = new double[classCount];
        foreach (var (d, row) in neighbours)
        {
            votes[classes[row]] += weighting == KnnWeighting.Uniform ? 1 : exact ? (d == 0 ? 1 : 0) : 1 / d;
        }

        double best = votes.Max();
        int predicted = neighbours.Select(n => classes[n.Row]).First(c => votes[c] == best);
        double total = votes.Sum();
        return (predicted, votes.Select(v => v / total).ToArray());
    }

    private static double Distance(float[] a, float[] b, KnnDistance distance)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (double)a[i] - b[i];
            sum += distance == KnnDistance.L1 ? Math.Abs(d) : d * d;
        }

        return distance == KnnDistance.L1 ? sum : Math.Sqrt(sum);
    }
}
