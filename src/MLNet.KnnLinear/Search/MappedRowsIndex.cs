using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// Float rows read from a memory-mapped faiss file as they lie there (row-major, no copy, no search layout): what a
/// re-ranked index loaded with <c>memoryMapped: true</c> re-ranks on (<see cref="RefinedIndex.Rows"/>), where only the
/// candidates' rows are read. Read-only. Its own search is a plain exact scan (distances as
/// <see cref="RefinedIndex"/> computes them), for completeness: nothing searches it on a hot path.
/// </summary>
internal sealed class MappedRowsIndex : INeighborIndex
{
    private readonly RowStore<float> _rows;

    public MappedRowsIndex(RowStore<float> rows, KnnDistance distance)
    {
        _rows = rows;
        Distance = distance;
    }

    public int Dimension => _rows.Dimension;

    public int Count => _rows.Count;

    public KnnDistance Distance { get; }

    public long MemoryBytes => _rows.MemoryBytes;

    public void Add(ReadOnlySpan<float> rows)
        => throw new InvalidOperationException("These rows are read from a memory-mapped file, which is read-only: load it without memoryMapped to add rows.");

    public void CopyRow(int row, Span<float> destination)
    {
        _rows.Row(row).CopyTo(destination);
        GC.KeepAlive(_rows);
    }

    public void Search(ReadOnlySpan<float> queries, int k, Span<float> distances, Span<int> rows, RemovedRows? removed = null)
    {
        int d = Dimension;
        var selector = new TopKSelector(k, removed);
        var keys = new double[k];
        var found = new int[k];
        var scratch = new float[d];
        for (int q = 0; q < queries.Length / d; q++)
        {
            Cancellation.ThrowIfRequested();
            var query = queries.Slice(q * d, d);
            bool cosine = Distance == KnnDistance.Cosine;
            double queryNorm = cosine ? RefinedIndex.Norm(query) : 0;
            selector.Reset();
            for (int r = 0; r < Count; r++)
            {
                var row = _rows.Row(r);
                selector.Add(RefinedIndex.Key(cosine, query, queryNorm, row, scratch), r);
            }

            int n = selector.CopySorted(keys, found);
            for (int j = 0; j < k; j++)
            {
                rows[(q * k) + j] = j < n ? found[j] : -1;
                distances[(q * k) + j] = RefinedIndex.Reported(cosine, keys[j], j < n ? found[j] : -1);
            }
        }

        GC.KeepAlive(_rows);
    }
}
