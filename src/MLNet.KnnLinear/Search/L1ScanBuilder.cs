using System.Runtime.CompilerServices;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// Stores L1 rows as they arrive, one at a time: as bytes while every value is a whole number in [0, 255] (raw
/// pixels, for <see cref="ByteL1Scan"/>), switching once to floats (<see cref="FloatL1Scan"/>) at the first row that
/// is not. A cursor can feed it directly, so fitting never holds a float copy of pixel data.
/// </summary>
internal sealed class L1ScanBuilder(int dimension, long expectedRows)
{
    private RowStore<byte>? _bytes = dimension <= ByteL1Scan.MaxDimension ? new(dimension, expectedRows) : null;
    private RowStore<float>? _floats = dimension <= ByteL1Scan.MaxDimension ? null : new(dimension, expectedRows);
    private readonly ByteRowNarrowing _narrowing = new(dimension);
    private float[]? _widened;
    private int _count;

    public int Count => _count;

    /// <summary>Expects <paramref name="rows"/> more rows (chunks sized for them instead of doubling).</summary>
    public void Reserve(long rows)
    {
        _bytes?.Reserve(rows);
        _floats?.Reserve(rows);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    public void Append(ReadOnlySpan<float> row)
    {
        if (_bytes is not null && _narrowing.TryNarrow(row, out var bytes))
        {
            _bytes.Append(bytes);
        }
        else
        {
            if (_bytes is not null)
            {
                SwitchToFloats();
            }

            _floats!.Append(row);
        }

        _count++;
    }

    /// <summary>Appends a row of bytes: copied as they are, or widened once the store has switched to floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    public void Append(ReadOnlySpan<byte> row)
    {
        if (_bytes is not null)
        {
            _bytes.Append(row);
        }
        else
        {
            _widened ??= new float[dimension];
            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(row, _widened);
            _floats!.Append(_widened);
        }

        _count++;
    }

    public DistanceScan Build()
    {
        if (_bytes is null)
        {
            _floats!.Trim();
            return new FloatL1Scan(_floats);
        }

        _bytes.Trim();
        return new ByteL1Scan(_bytes);
    }

    private void SwitchToFloats()
    {
        _floats = new RowStore<float>(dimension, Math.Max(expectedRows, _count + 1L));
        var widened = new float[dimension];
        for (int r = 0; r < _bytes!.Count; r++)
        {
            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(_bytes.Row(r), widened);
            _floats.Append(widened);
        }

        _bytes = null;
    }
}
