namespace MLNet.KnnLinear.Search.Ivf;

/// <summary>
/// What every inverted file's batch search shares: the queries of each probed list (a CSR of list → queries, in query
/// order, from each query's probed lists), and each query's per-thread selectors merged into one (threads take lists
/// in turn, so a query's candidates are spread over them).
/// </summary>
internal static class ProbeGroups
{
    /// <summary>
    /// For <paramref name="lists"/> lists, where query q probed <c>probeLists[q·probes .. q·probes + probes)</c>: list
    /// l's queries are <c>queriesOfList[start[l] .. start[l + 1])</c>.
    /// </summary>
    public static (int[] Start, int[] QueriesOfList) Of(int[] probeLists, int queryCount, int probes, int lists)
    {
        var start = new int[lists + 1];
        foreach (int l in probeLists)
        {
            start[l + 1]++;
        }

        for (int l = 0; l < lists; l++)
        {
            start[l + 1] += start[l];
        }

        var queriesOfList = new int[probeLists.Length];
        var next = start.AsSpan(0, lists).ToArray();
        for (int q = 0; q < queryCount; q++)
        {
            for (int p = 0; p < probes; p++)
            {
                queriesOfList[next[probeLists[(q * probes) + p]]++] = q;
            }
        }

        return (start, queriesOfList);
    }

    /// <summary>Query <paramref name="query"/>'s selector of thread 0, holding every thread's candidates for it.</summary>
    /// <param name="partial">Each thread's selectors, one per query.</param>
    /// <param name="query">The query.</param>
    /// <param name="keys">Scratch of k keys.</param>
    /// <param name="rows">Scratch of k rows.</param>
    public static TopKSelector Merged(TopKSelector[][] partial, int query, double[] keys, int[] rows)
    {
        var merged = partial[0][query];
        for (int t = 1; t < partial.Length; t++)
        {
            int n = partial[t][query].CopySorted(keys, rows);
            for (int i = 0; i < n; i++)
            {
                merged.Add(keys[i], rows[i]);
            }
        }

        return merged;
    }
}
