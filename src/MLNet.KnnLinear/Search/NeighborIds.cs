using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// Ids of the user's for an index's rows (faiss' <c>IndexIDMap2</c>): the id of every row number, and the row of
/// every id still in the index, so searches translate rows to ids and <see cref="NeighborIndex.Remove"/> ids to rows.
/// </summary>
internal sealed class NeighborIds
{
    private readonly GrowableArray<long> _idOfRow = new();
    private readonly Dictionary<long, int> _rowOfId = [];

    /// <summary>Bytes held: 8 per row, and the dictionary's entries (about 24 each).</summary>
    public long MemoryBytes => (8L * _idOfRow.Count) + (24L * _rowOfId.Count);

    public long IdOf(int row) => _idOfRow.Slice(row, 1)[0];

    /// <summary>The row holding <paramref name="id"/>, or −1 when no row (still) does.</summary>
    public int RowOf(long id) => _rowOfId.TryGetValue(id, out int row) ? row : -1;

    /// <summary>Throws, naming <paramref name="parameter"/>, unless every id is non-negative, unique, and new to the index.</summary>
    public void CheckNew(ReadOnlySpan<long> ids, string parameter)
    {
        var seen = new HashSet<long>(ids.Length);
        foreach (long id in ids)
        {
            if (id < 0)
            {
                throw new ArgumentOutOfRangeException(parameter, id, "Ids must be non-negative: −1 marks \"not found\" in search results.");
            }

            if (!seen.Add(id) || _rowOfId.ContainsKey(id))
            {
                throw new ArgumentException($"Id {id} is given twice, or is in the index already: ids must be unique.", parameter);
            }
        }
    }

    /// <summary>Records <paramref name="ids"/> as the ids of rows <paramref name="firstRow"/>, <paramref name="firstRow"/> + 1, ….</summary>
    public void Append(ReadOnlySpan<long> ids, int firstRow)
    {
        ids.CopyTo(_idOfRow.Append(ids.Length));
        for (int i = 0; i < ids.Length; i++)
        {
            _rowOfId.Add(ids[i], firstRow + i);
        }
    }

    /// <summary>Drops <paramref name="id"/> from the id → row map (its row was removed); its row keeps the id.</summary>
    public void Forget(long id) => _rowOfId.Remove(id);
}
