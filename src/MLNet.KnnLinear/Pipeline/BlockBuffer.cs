namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// The per-row buffer of a <see cref="RowBlock"/>: room for a number of rows of a fixed length, allocated only when
/// a consumer reserves that many rows (one for a <c>PredictionEngine</c>, a budget-sized block for a cursor), with
/// the size computed in 64-bit arithmetic and a clear error when no array can hold it.
/// </summary>
internal sealed class BlockBuffer<T>(int rowLength, string description)
{
    private T[] _items = [];

    /// <summary>The number of rows there is room for.</summary>
    public int Capacity { get; private set; }

    /// <summary>Makes room for <paramref name="rows"/> rows (the contents are not kept when it grows).</summary>
    public void Reserve(int rows)
    {
        if (rows <= Capacity)
        {
            return;
        }

        long values = (long)rows * rowLength;
        if (values > Array.MaxLength)
        {
            throw new InvalidOperationException($"{description}: {rows} row(s) of {rowLength:N0} values need {values:N0} values, more than one array can hold.");
        }

        _items = new T[values];
        Capacity = rows;
    }

    /// <summary>Row <paramref name="slot"/>.</summary>
    public Span<T> Row(int slot) => _items.AsSpan(slot * rowLength, rowLength);

    /// <summary>Rows 0 .. <paramref name="count"/> − 1, contiguous.</summary>
    public Span<T> Rows(int count) => _items.AsSpan(0, count * rowLength);
}
