namespace MLNet.KnnLinear;

/// <summary>Range search (faiss' <c>range_search</c>).</summary>
public sealed partial class NeighborIndex
{
    private const int FirstRangeK = 64;

    /// <summary>Results searched per round (16 M ids and distances: 192 MB), so the result buffers stay bounded.</summary>
    private const long MaxRangeResults = 16L << 20;

    /// <summary>
    /// Every row whose distance to a query is below <paramref name="radius"/> (strictly, as faiss), for each query:
    /// the same rows an exact k-nearest search would rank first, found by searching with k = 64, then 128, … until
    /// a query's k-th neighbour lies outside the radius or every row is in. An approximate index gives the rows its
    /// own search finds (the probed lists, the graph's efSearch widened to k). Removed rows are never returned.
    /// </summary>
    /// <param name="queries">Queries, row-major, <see cref="Dimension"/> values each.</param>
    /// <param name="radius">In the index's distance: Euclidean for L2 (faiss takes the squared radius), the sum of absolute differences for L1, 1 − cosine similarity for cosine.</param>
    /// <returns>The neighbours of every query, nearest first.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The radius is negative or NaN.</exception>
    /// <exception cref="ArgumentException">The queries are not a whole number of rows.</exception>
    public NeighborRangeResult SearchRadius(ReadOnlySpan<float> queries, float radius)
        => SearchRadius(queries, radius, CancellationToken.None);

    /// <summary>
    /// Every row whose distance to a query is below <paramref name="radius"/> (strictly, as faiss), for each query:
    /// the same rows an exact k-nearest search would rank first, found by searching with k = 64, then 128, … until
    /// a query's k-th neighbour lies outside the radius or every row is in. An approximate index gives the rows its
    /// own search finds (the probed lists, the graph's efSearch widened to k). Removed rows are never returned.
    /// </summary>
    /// <param name="queries">Queries, row-major, <see cref="Dimension"/> values each.</param>
    /// <param name="radius">In the index's distance: Euclidean for L2 (faiss takes the squared radius), the sum of absolute differences for L1, 1 − cosine similarity for cosine.</param>
    /// <param name="cancellationToken">Stops the search (between its widening rounds and inside them) with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The neighbours of every query, nearest first.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The radius is negative or NaN.</exception>
    /// <exception cref="ArgumentException">The queries are not a whole number of rows.</exception>
    public NeighborRangeResult SearchRadius(ReadOnlySpan<float> queries, float radius, CancellationToken cancellationToken)
    {
        using var cancellation = MLNet.KnnLinear.Pipeline.Cancellation.Enter(cancellationToken);
        if (!(radius >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "The radius must be a distance: zero or more (not NaN).");
        }

        int count = CheckQueries(queries, 1, int.MaxValue, int.MaxValue, "queries");
        var found = new (long Id, float Distance)[count][];
        var pending = Enumerable.Range(0, count).ToArray();
        int held = Count;
        for (int k = Math.Min(FirstRangeK, Math.Max(held, 1)); pending.Length > 0; k = (int)Math.Min(2L * k, Math.Max(held, 1)))
        {
            // At most MaxRangeResults results per round: the queries still pending beyond that wait for the next round.
            // A re-ranked index holds ⌊k × factor⌋ candidates a query while it searches: the budget counts those.
            int take = (int)Math.Clamp(MaxRangeResults / (Refined?.CandidatesFor(k) ?? k), 1, pending.Length);
            var postponed = pending[take..];
            pending = pending[..take];
            var batch = new float[(long)pending.Length * _dimension];
            for (int i = 0; i < pending.Length; i++)
            {
                queries.Slice(pending[i] * _dimension, _dimension).CopyTo(batch.AsSpan(i * _dimension, _dimension));
            }

            var ids = new long[(long)pending.Length * k];
            var distances = new float[(long)pending.Length * k];
            Search(batch, k, ids, distances);
            var again = new List<int>();
            for (int i = 0; i < pending.Length; i++)
            {
                int inside = 0;
                while (inside < k && ids[(i * k) + inside] >= 0 && distances[(i * k) + inside] < radius)
                {
                    inside++;
                }

                // All k inside and more rows to look at: the radius may hold more; search this query again with 2k.
                if (inside == k && k < held)
                {
                    again.Add(pending[i]);
                    continue;
                }

                var neighbours = new (long, float)[inside];
                for (int j = 0; j < inside; j++)
                {
                    neighbours[j] = (ids[(i * k) + j], distances[(i * k) + j]);
                }

                found[pending[i]] = neighbours;
            }

            pending = [.. again, .. postponed];
            if (again.Count == 0 && postponed.Length > 0)
            {
                // Only postponed queries are left: they start again from the first k.
                k = FirstRangeK / 2;
            }
        }

        var limits = new long[count + 1];
        for (int q = 0; q < count; q++)
        {
            limits[q + 1] = limits[q] + found[q].Length;
        }

        var allIds = new long[limits[count]];
        var allDistances = new float[limits[count]];
        for (int q = 0; q < count; q++)
        {
            for (int j = 0; j < found[q].Length; j++)
            {
                (allIds[limits[q] + j], allDistances[limits[q] + j]) = found[q][j];
            }
        }

        return new NeighborRangeResult(limits, allIds, allDistances);
    }
}
