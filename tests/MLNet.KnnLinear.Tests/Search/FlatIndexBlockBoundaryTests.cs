using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear.Tests.Search;

/// <summary>
/// Exact search across every blocking boundary of the scans: depth past GemmScan's 384-feature block (and exact
/// mode's 256), rows past its 512-row block and over several 16-row panels with a partial last one, queries past
/// its 144-query block and ByteL1Scan's 64, k up to 64, with duplicated rows so that distances tie. The reference
/// is a plain double-precision brute force ordered by (distance, row).
/// </summary>
public sealed class FlatIndexBlockBoundaryTests
{
    private const int Dimension = 801;
    private const int RowCount = 1043;
    private const int QueryCount = 301;

    public static TheoryData<KnnDistance, int, string> Cases()
    {
        var data = new TheoryData<KnnDistance, int, string>();
        foreach (var distance in Enum.GetValues<KnnDistance>())
        {
            foreach (int k in new[] { 1, 10, 64 })
            {
                data.Add(distance, k, "pixels");   // whole numbers 0..255: exact mode (L2, cosine) and bytes (L1)
                data.Add(distance, k, "halves");   // k/2 values: the float GEMM and float L1 paths, exact in float here
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FlatIndex_AcrossBlockBoundariesWithTies_EqualsBruteForce(KnnDistance distance, int k, string values)
    {
        var rows = Values(RowCount * Dimension, seed: 11, values);
        var queries = Values(QueryCount * Dimension, seed: 12, values);
        for (int r = 0; r + 1 < RowCount; r += 97)
        {
            // Duplicates: the pairs tie at every query, so their order must come from the row numbers.
            rows.AsSpan(r * Dimension, Dimension).CopyTo(rows.AsSpan((r + 1) * Dimension, Dimension));
        }

        // One query equals a row: distance 0 must be found first.
        rows.AsSpan(500 * Dimension, Dimension).CopyTo(queries.AsSpan(150 * Dimension, Dimension));
        var index = new FlatIndex(rows, Dimension, distance, maxThreads: 2);
        var distances = new float[QueryCount * k];
        var found = new int[QueryCount * k];

        index.Search(queries, k, distances, found);

        for (int q = 0; q < QueryCount; q++)
        {
            var query = queries.AsSpan(q * Dimension, Dimension).ToArray();
            var expected = Enumerable.Range(0, RowCount)
                .Select(r => (Distance: Reference(distance, query, rows.AsSpan(r * Dimension, Dimension)), Row: r))
                .OrderBy(p => p.Distance).ThenBy(p => p.Row).Take(k).ToArray();
            if (distance == KnnDistance.Cosine && values == "halves")
            {
                // Float cosine rounds: compare distances, not the order of rows closer than the rounding.
                for (int i = 0; i < k; i++)
                {
                    distances[(q * k) + i].Should().BeApproximately((float)expected[i].Distance, 1e-5f, $"query {q}, neighbour {i}");
                }

                continue;
            }

            found.AsSpan(q * k, k).ToArray().Should().Equal(expected.Select(e => e.Row), $"query {q} ({distance}, {values})");
            for (int i = 0; i < k; i++)
            {
                double reported = distance == KnnDistance.L2 ? Math.Sqrt(expected[i].Distance) : expected[i].Distance;
                distances[(q * k) + i].Should().BeApproximately((float)reported, (float)(1e-6 * Math.Max(1, reported)), $"query {q}, neighbour {i}");
            }
        }
    }

    private static double Reference(KnnDistance distance, float[] a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (double)a[i] - b[i];
            sum += distance == KnnDistance.L1 ? Math.Abs(d) : d * d;
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return distance == KnnDistance.Cosine ? (na == 0 || nb == 0 ? 1 : 1 - (dot / (Math.Sqrt(na) * Math.Sqrt(nb)))) : sum;
    }

    private static float[] Values(int count, int seed, string values)
    {
        var random = new Random(seed);
        return values == "pixels"
            ? Enumerable.Range(0, count).Select(_ => (float)random.Next(256)).ToArray()
            : Enumerable.Range(0, count).Select(_ => random.Next(10) * 0.5f).ToArray();
    }
}
