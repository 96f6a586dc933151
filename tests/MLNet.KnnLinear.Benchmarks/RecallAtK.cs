namespace MLNet.KnnLinear.Benchmarks;

/// <summary>
/// Recall@k by id, the share of each query's true neighbours (query-major, k per query; −1 where the truth has fewer)
/// that the found lists hold for the same query. Shared by the growth benchmark and the interop and growth tests.
/// </summary>
public static class RecallAtK
{
    public static double Of(long[] truth, long[] found, int k)
    {
        int hits = 0;
        var expected = new HashSet<long>();
        for (int q = 0; q < truth.Length / k; q++)
        {
            expected.Clear();
            foreach (long id in truth.AsSpan(q * k, k))
            {
                if (id >= 0)
                {
                    expected.Add(id);
                }
            }

            foreach (long id in found.AsSpan(q * k, k))
            {
                hits += expected.Contains(id) ? 1 : 0;
            }
        }

        return (double)hits / truth.Count(t => t >= 0);
    }
}
