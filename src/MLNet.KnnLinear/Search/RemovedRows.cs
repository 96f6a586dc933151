namespace MLNet.KnnLinear.Search;

/// <summary>
/// The rows of an index that were removed (hnswlib's "mark deleted", faiss' <c>IDSelector</c> turned around): one
/// bit per row number. Searches skip them when they rank candidates, so a removed row is never returned and never
/// takes a place among the k nearest; the rows' storage stays until the index is rebuilt. Written by one thread
/// (<see cref="NeighborIndex.Remove"/>) between searches, read by any number of searching threads.
/// </summary>
internal sealed class RemovedRows
{
    private ulong[] _bits = [];

    /// <summary>How many rows are marked.</summary>
    public long Count { get; private set; }

    public bool Contains(int row) => (uint)(row >> 6) < (uint)_bits.Length && (_bits[row >> 6] & (1UL << row)) != 0;

    /// <summary>The marked rows, ascending.</summary>
    public IEnumerable<int> Rows()
    {
        for (int word = 0; word < _bits.Length; word++)
        {
            for (ulong bits = _bits[word]; bits != 0; bits &= bits - 1)
            {
                yield return (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
            }
        }
    }

    /// <summary>Marks <paramref name="row"/>; false when it was marked already.</summary>
    public bool Add(int row)
    {
        int word = row >> 6;
        if (word >= _bits.Length)
        {
            Array.Resize(ref _bits, Math.Max(word + 1, _bits.Length * 2));
        }

        if ((_bits[word] & (1UL << row)) != 0)
        {
            return false;
        }

        _bits[word] |= 1UL << row;
        Count++;
        return true;
    }
}
