namespace MLNet.KnnLinear.Search;

/// <summary>
/// A float row narrowed to bytes when every value is a whole number in [0, 255] (raw pixels), through one buffer
/// kept for the next row: how a store that holds byte rows takes a float row, or learns that it must switch to floats.
/// </summary>
internal sealed class ByteRowNarrowing(int dimension)
{
    private byte[]? _bytes;

    /// <summary>The row as bytes in <paramref name="bytes"/> (valid until the next call), or false when a value is not a byte.</summary>
    public bool TryNarrow(ReadOnlySpan<float> row, out ReadOnlySpan<byte> bytes)
    {
        if (!ByteL1Scan.IsByteValued(row))
        {
            bytes = default;
            return false;
        }

        // Whole numbers in [0, 255] (just checked): narrowing is exact.
        _bytes ??= new byte[dimension];
        WholeNumbers.ToBytes(row, _bytes);
        bytes = _bytes;
        return true;
    }
}
