using System.Numerics.Tensors;

namespace MLNet.KnnLinear.Search.Quantization;

/// <summary>
/// Learns a <see cref="ScalarQuantizer"/>'s per-dimension minimum and maximum from rows seen one at a time (faiss'
/// range statistic min–max, as <c>ScalarQuantizer::train</c> with <c>RS_minmax</c> and no margin), so training
/// streams over rows held in chunks instead of needing them in one array. Rows of a cosine index are scaled to unit
/// length first, as they are before they are encoded.
/// </summary>
/// <param name="dimension">Values per row.</param>
/// <param name="unitRows">Scale each row to unit length before it counts (cosine).</param>
internal sealed class ScalarQuantizerTraining(int dimension, bool unitRows)
{
    private readonly float[] _minimum = Filled(dimension, float.PositiveInfinity);
    private readonly float[] _maximum = Filled(dimension, float.NegativeInfinity);
    private float[]? _widened;
    private float[]? _unit;

    public long Rows { get; private set; }

    public void Add(ReadOnlySpan<float> row)
    {
        if (unitRows)
        {
            _unit ??= new float[dimension];
            row.CopyTo(_unit);
            UnitRows.Normalize(_unit, dimension);
            row = _unit;
        }

        TensorPrimitives.Min(_minimum, row, _minimum);
        TensorPrimitives.Max(_maximum, row, _maximum);
        Rows++;
    }

    public void Add(ReadOnlySpan<byte> row)
    {
        _widened ??= new float[dimension];
        TensorPrimitives.ConvertTruncating(row, _widened);
        Add(_widened);
    }

    /// <summary>Every row of <paramref name="rows"/> (row-major).</summary>
    public void AddRows(ReadOnlySpan<float> rows)
    {
        for (int r = 0; r < rows.Length / dimension; r++)
        {
            Add(rows.Slice(r * dimension, dimension));
        }
    }

    /// <summary>Every byte row of <paramref name="rows"/> (row-major).</summary>
    public void AddRows(ReadOnlySpan<byte> rows)
    {
        for (int r = 0; r < rows.Length / dimension; r++)
        {
            Add(rows.Slice(r * dimension, dimension));
        }
    }

    public ScalarQuantizer ToQuantizer()
    {
        if (Rows == 0)
        {
            throw new InvalidOperationException("A scalar quantizer trains on at least one row.");
        }

        var range = new float[dimension];
        for (int j = 0; j < dimension; j++)
        {
            range[j] = _maximum[j] - _minimum[j];
        }

        return new ScalarQuantizer((float[])_minimum.Clone(), range);
    }

    private static float[] Filled(int length, float value)
    {
        var array = new float[length];
        Array.Fill(array, value);
        return array;
    }
}
