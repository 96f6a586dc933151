namespace MLNet.KnnLinear.Search;

/// <summary>
/// Keeps the k smallest (distance, row) pairs seen so far for one query, as a bounded max-heap: the root is the
/// worst pair kept, so a new candidate costs one comparison unless it beats it. Pairs are ordered by distance, then
/// by row number, which makes results independent of the order candidates arrive in (and so of threading).
/// Distances are doubles so that exact integer distances above 2^24 (squared L2 of pixel rows) keep their order.
/// Not thread-safe; one per query per thread. Its buffers are reused between queries through <see cref="Reset"/>.
/// </summary>
internal sealed class TopKSelector
{
    private readonly double[] _distances;
    private readonly int[] _rows;
    private readonly RemovedRows? _removed;
    private readonly int[]? _rowNumbers;
    private int _count;

    /// <summary>A selector of the <paramref name="k"/> best pairs.</summary>
    /// <param name="k">How many pairs to keep.</param>
    /// <param name="removed">Rows never taken (removed from the index); null when none are.</param>
    /// <param name="rowNumbers">
    /// Where the rows offered are positions in a part of the index (an inverted list): each position's row number,
    /// which is what <paramref name="removed"/> holds. Null when rows are offered by their row numbers.
    /// </param>
    public TopKSelector(int k, RemovedRows? removed = null, int[]? rowNumbers = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        _distances = new double[k];
        _rows = new int[k];
        _removed = removed is { Count: > 0 } ? removed : null;
        _rowNumbers = rowNumbers;
    }

    public int K => _distances.Length;

    /// <summary>The worst distance kept once full; +∞ before, so every candidate is taken.</summary>
    public double Threshold => _count < K ? double.PositiveInfinity : _distances[0];

    public void Reset() => _count = 0;

    public void Add(double distance, int row)
    {
        // Only candidates that beat the threshold get here, so the removed-row test costs little.
        if (_removed is not null && _removed.Contains(_rowNumbers is null ? row : _rowNumbers[row]))
        {
            return;
        }

        if (_count < K)
        {
            SiftUp(_count++, distance, row);
            return;
        }

        if (!IsWorse(_distances[0], _rows[0], distance, row))
        {
            return;
        }

        SiftDown(distance, row);
    }

    /// <summary>Writes the kept pairs nearest first and returns how many there are (less than k only if fewer were added).</summary>
    public int CopySorted(Span<double> distances, Span<int> rows)
    {
        int n = _count;
        for (int i = 0; i < n; i++)
        {
            distances[i] = _distances[i];
            rows[i] = _rows[i];
        }

        // n ≤ k is small (the neighbour count): an insertion sort by (distance, row) is the simplest exact order.
        for (int i = 1; i < n; i++)
        {
            double d = distances[i];
            int r = rows[i];
            int j = i - 1;
            while (j >= 0 && IsWorse(distances[j], rows[j], d, r))
            {
                distances[j + 1] = distances[j];
                rows[j + 1] = rows[j];
                j--;
            }

            distances[j + 1] = d;
            rows[j + 1] = r;
        }

        return n;
    }

    /// <summary>True when (d1, r1) ranks after (d2, r2).</summary>
    private static bool IsWorse(double d1, int r1, double d2, int r2) => d1 > d2 || (d1 == d2 && r1 > r2);

    private void SiftUp(int index, double distance, int row)
    {
        while (index > 0)
        {
            int parent = (index - 1) >> 1;
            if (!IsWorse(distance, row, _distances[parent], _rows[parent]))
            {
                break;
            }

            _distances[index] = _distances[parent];
            _rows[index] = _rows[parent];
            index = parent;
        }

        _distances[index] = distance;
        _rows[index] = row;
    }

    private void SiftDown(double distance, int row)
    {
        int index = 0;
        int n = _count;
        while (true)
        {
            int child = (2 * index) + 1;
            if (child >= n)
            {
                break;
            }

            if (child + 1 < n && IsWorse(_distances[child + 1], _rows[child + 1], _distances[child], _rows[child]))
            {
                child++;
            }

            if (!IsWorse(_distances[child], _rows[child], distance, row))
            {
                break;
            }

            _distances[index] = _distances[child];
            _rows[index] = _rows[child];
            index = child;
        }

        _distances[index] = distance;
        _rows[index] = row;
    }
}
