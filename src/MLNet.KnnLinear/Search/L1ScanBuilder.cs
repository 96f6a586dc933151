using System.Runtime.CompilerServices;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// Stores L1 rows as they arrive, one at a time: as bytes while every value is a whole number in [0, 255] (raw
/// pixels, for <see cref="ByteL1Scan"/>), switching once to floats (<see cref="FloatL1Scan"/>) at the first row that
/// is not. A cursor can feed it directly, so fitting never holds a float copy of pixel data.
/// </summary>
internal sealed class L1ScanBuilder(int dimension, long expectedRows)
{
    private GrowableArray<byte>? _bytes = dimension <= ByteL1Scan.MaxDimension ? new((long)dimension * expectedRows) : null;
    private GrowableArray<float>? _floats = dimension <= ByteL1Scan.MaxDimension ? null : new((long)dimension * expectedRows);
    private int _count;

    public int Count => _count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    public void Append(ReadOnlySpan<float> row)
    {
        if (_bytes is not null && !ByteL1Scan.IsByteValued(row))
        {
            SwitchToFloats();
        }

        if (_bytes is not null)
        {
            // Whole numbers in [0, 255] (just checked): truncation is exact.
            WholeNumbers.ToBytes(row, _bytes.Append(dimension));
        }
        else
        {
            row.CopyTo(_floats!.Append(dimension));
        }

        _count++;
    }

    /// <summary>Appends a row of bytes: copied as they are, or widened once the store has switched to floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once a row of a fit: optimized from the first call, where tiering would run a cold fit unoptimized
    public void Append(ReadOnlySpan<byte> row)
    {
        if (_bytes is not null)
        {
            row.CopyTo(_bytes.Append(dimension));
        }
        else
        {
            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(row, _floats!.Append(dimension));
        }

        _count++;
    }

    public DistanceScan Build() => _bytes is not null
        ? new ByteL1Scan(_bytes.ToArray(), dimension)
        : new FloatL1Scan(_floats!.ToArray(), dimension);

    private void SwitchToFloats()
    {
        _floats = new GrowableArray<float>((long)dimension * Math.Max(expectedRows, _count + 1L));
        var widened = _floats.Append(_bytes!.Count);
        var bytes = _bytes.Slice(0, _bytes.Count);
        for (int i = 0; i < bytes.Length; i++)
        {
            widened[i] = bytes[i];
        }

        _bytes = null;
    }
}
