namespace MLNet.KnnLinear.Search.Quantization;

/// <summary>
/// Encodes rows into 8-bit codes as they arrive and lays the codes out in byte panels for
/// <see cref="ScalarQuantizedScan"/>, keeping each row's L2 term Σ (step_j c_j)². Cosine rows are scaled to unit
/// length first (zero rows stay zero), as faiss' inner-product index is given normalised rows.
/// </summary>
internal sealed class ScalarQuantizedScanBuilder
{
    private readonly ScalarQuantizer _quantizer;
    private readonly bool _cosine;
    private readonly BytePanels _codes;
    private readonly Pipeline.GrowableArray<float> _rowTerms;
    private readonly byte[] _code;
    private readonly float[] _unit;

    public ScalarQuantizedScanBuilder(ScalarQuantizer quantizer, bool cosine, long expectedRows, long chunkBytes = BytePanels.ChunkBytes)
    {
        _quantizer = quantizer;
        _cosine = cosine;
        _codes = new BytePanels(quantizer.Dimension, expectedRows, chunkBytes);
        _rowTerms = new Pipeline.GrowableArray<float>(Math.Max(1, expectedRows));
        _code = new byte[quantizer.Dimension];
        _unit = new float[quantizer.Dimension];
    }

    public int Count => _codes.Count;

    public void Reserve(long rows) => _codes.Reserve(rows);

    /// <summary>Encodes and appends a row (scaled to unit length first for cosine).</summary>
    public void Append(ReadOnlySpan<float> row)
    {
        if (_cosine)
        {
            row.CopyTo(_unit);
            UnitRows.Normalize(_unit, _unit.Length);
            row = _unit;
        }

        _quantizer.Encode(row, _code);
        AppendCode(_code);
    }

    /// <summary>Appends a code as it is (a row laid out again, or read from a file).</summary>
    public void AppendCode(ReadOnlySpan<byte> code)
    {
        if (Count == int.MaxValue)
        {
            throw new InvalidOperationException($"An index holds at most {int.MaxValue} codes.");
        }

        _rowTerms.Append(1)[0] = _cosine ? 0f : _quantizer.StepSquaredNorm(code);
        _codes.Append(code);
    }

    public ScalarQuantizedScan Build()
    {
        _codes.Trim();
        return new ScalarQuantizedScan(_codes, _rowTerms.ToArray(), _quantizer, _cosine);
    }
}
