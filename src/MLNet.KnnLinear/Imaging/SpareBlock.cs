namespace MLNet.KnnLinear.Imaging;

/// <summary>
/// The working block (stored images, features, each worker's strip scratch) that a featurizer's last disposed cursor
/// gave back, kept by the transformer for its next cursor, and so its next <c>Transform</c> call: a service that
/// featurizes a request's images, or any loop of calls, then reuses megabytes a call instead of allocating and
/// first-touching them again. One block at most, of the shape it was made for (the key); what the next call would
/// allocate anyway, bounded by the block budget.
/// </summary>
internal sealed class SpareBlock
{
    private readonly object _lock = new();
    private object? _key;
    private object? _block;

    /// <summary>The spare block if it was made for <paramref name="key"/> (and forgets it), else null.</summary>
    public object? Take(object key)
    {
        lock (_lock)
        {
            if (_block is null || !Equals(_key, key))
            {
                return null;
            }

            var block = _block;
            (_key, _block) = (null, null);
            return block;
        }
    }

    /// <summary>Keeps <paramref name="block"/>, made for <paramref name="key"/>, in place of any earlier spare.</summary>
    public void Give(object key, object block)
    {
        lock (_lock)
        {
            (_key, _block) = (key, block);
        }
    }
}
