using System.Numerics.Tensors;

namespace MLNet.KnnLinear.Search.Quantization;

/// <summary>
/// 8-bit scalar quantization with a range per dimension (faiss' <c>ScalarQuantizer</c>, <c>QT_8bit</c>, range
/// statistic min–max): dimension j's values map linearly from [min_j, min_j + range_j] onto the codes 0 … 255, and a
/// code decodes to the middle of its step, min_j + (c + ½) · range_j / 255, so a value inside the trained range is
/// off by at most half a step. Values outside it clamp to the nearest end (faiss does the same). A dimension whose
/// range is 0 encodes as 0 and decodes to its minimum. The arithmetic is faiss' own, in float, so a code made here
/// is the code faiss makes, and a file passes between them unchanged.
/// </summary>
internal sealed class ScalarQuantizer
{
    /// <summary>Codes per dimension above the lowest: 255.</summary>
    public const float Steps = 255f;

    private readonly float[] _minimum;
    private readonly float[] _range;

    /// <summary>A quantizer from trained parts (faiss' <c>trained</c>: the minima, then the ranges).</summary>
    /// <exception cref="ArgumentException">The parts differ in length, or a value is not finite, or a range is negative.</exception>
    public ScalarQuantizer(float[] minimum, float[] range)
    {
        if (minimum.Length != range.Length || minimum.Length == 0)
        {
            throw new ArgumentException($"A scalar quantizer needs one minimum and one range per dimension; got {minimum.Length} and {range.Length}.");
        }

        for (int j = 0; j < minimum.Length; j++)
        {
            if (!float.IsFinite(minimum[j]) || !float.IsFinite(range[j]) || range[j] < 0 || !float.IsFinite(minimum[j] + range[j]))
            {
                throw new ArgumentException($"Dimension {j} of the scalar quantizer has minimum {minimum[j]} and range {range[j]}; both must be finite and the range non-negative.");
            }
        }

        _minimum = minimum;
        _range = range;
        Step = new float[range.Length];
        Middle = new float[range.Length];
        for (int j = 0; j < range.Length; j++)
        {
            Step[j] = range[j] / Steps;
            Middle[j] = minimum[j] + (0.5f * Step[j]);
        }
    }

    public int Dimension => _minimum.Length;

    /// <summary>Each dimension's lowest value (the value code 0's step starts at).</summary>
    public ReadOnlySpan<float> Minimum => _minimum;

    /// <summary>Each dimension's range (faiss' <c>vdiff</c>).</summary>
    public ReadOnlySpan<float> Range => _range;

    /// <summary>Each dimension's step, range / 255: a decoded value is <see cref="Middle"/> + code × step.</summary>
    public float[] Step { get; }

    /// <summary>Each dimension's decoded value for code 0: minimum + ½ step.</summary>
    public float[] Middle { get; }

    /// <summary>The quantizer of the values a <see cref="ScalarQuantizerTraining"/> saw.</summary>
    public static ScalarQuantizer From(ScalarQuantizerTraining training) => training.ToQuantizer();

    /// <summary>Encodes a row as faiss does: (x − min) / range clamped to [0, 1], times 255, truncated.</summary>
    public void Encode(ReadOnlySpan<float> row, Span<byte> code)
    {
        for (int j = 0; j < _minimum.Length; j++)
        {
            float x = 0f;
            if (_range[j] != 0f)
            {
                x = (row[j] - _minimum[j]) / _range[j];
                x = x < 0f ? 0f : x > 1f ? 1f : x;
            }

            code[j] = (byte)(int)(Steps * x);
        }
    }

    /// <summary>
    /// Decodes a code as faiss does: min + ((c + ½) / 255) × range, each operation on the whole row in turn (the same
    /// float operations in the same order as faiss' scalar decode, so bit for bit its result, vectorised).
    /// </summary>
    public void Decode(ReadOnlySpan<byte> code, Span<float> row)
    {
        row = row[..code.Length];
        TensorPrimitives.ConvertTruncating(code, row);
        TensorPrimitives.Add(row, 0.5f, row);
        TensorPrimitives.Divide(row, Steps, row);
        TensorPrimitives.Multiply(row, _range, row);
        TensorPrimitives.Add(row, _minimum, row);
    }

    /// <summary>Σ (step_j · c_j)², the squared length of a decoded row measured from <see cref="Middle"/> (an L2 scan's row term).</summary>
    public float StepSquaredNorm(ReadOnlySpan<byte> code)
    {
        double sum = 0;
        for (int j = 0; j < code.Length; j++)
        {
            double v = Step[j] * (double)code[j];
            sum += v * v;
        }

        return (float)sum;
    }

    /// <summary>Bytes held for the trained parts.</summary>
    public long MemoryBytes => 4L * sizeof(float) * _minimum.Length;
}
