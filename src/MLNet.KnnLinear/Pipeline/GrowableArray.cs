namespace MLNet.KnnLinear.Pipeline;

/// <summary>An append-only buffer that doubles as it grows, for reading a data view of unknown length in one pass.</summary>
internal sealed class GrowableArray<T>
{
    private T[] _items;

    /// <param name="capacity">The expected final count (e.g. rows × dimension when the row count is known), so that no regrowth or trimming copy is needed.</param>
    public GrowableArray(long capacity = 256) => _items = new T[Math.Clamp(capacity, 1, Array.MaxLength)];

    public int Count { get; private set; }

    /// <summary>Reserves <paramref name="count"/> items at the end and returns them to be filled.</summary>
    public Span<T> Append(int count)
    {
        int needed = checked(Count + count);
        if (needed > _items.Length)
        {
            Array.Resize(ref _items, (int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * _items.Length)));
        }

        var slice = _items.AsSpan(Count, count);
        Count = needed;
        return slice;
    }

    /// <summary><paramref name="length"/> items from <paramref name="start"/>, already appended.</summary>
    public Span<T> Slice(int start, int length) => _items.AsSpan(0, Count).Slice(start, length);

    /// <summary>The items, trimmed to <see cref="Count"/> (the buffer itself when it fits exactly).</summary>
    public T[] ToArray() => Count == _items.Length ? _items : _items.AsSpan(0, Count).ToArray();
}
