using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// Reads the current row's feature vector into floats: a Single vector checked as <see cref="FeatureVectors.CopyChecked"/>
/// does, or a Byte vector (raw pixels) widened where it is, with no intermediate copy. Shared by the searches that
/// accept both (kNN prediction, the nearest-neighbours step and its fit).
/// </summary>
internal sealed class FeatureRowReader
{
    private readonly string _column;
    private readonly ValueGetter<VBuffer<float>>? _singles;
    private readonly ValueGetter<VBuffer<byte>>? _bytes;
    private VBuffer<float> _singleBuffer;
    private VBuffer<byte> _byteBuffer;

    public FeatureRowReader(DataViewRow source, DataViewSchema.Column column, bool bytes)
    {
        _column = column.Name;
        if (bytes)
        {
            _bytes = source.GetGetter<VBuffer<byte>>(column);
        }
        else
        {
            _singles = source.GetGetter<VBuffer<float>>(column);
        }
    }

    public void Read(Span<float> destination)
    {
        if (_bytes is null)
        {
            _singles!(ref _singleBuffer);
            FeatureVectors.CopyChecked(_singleBuffer, destination, _column);
            return;
        }

        _bytes(ref _byteBuffer);
        if (_byteBuffer.Length != destination.Length)
        {
            throw new InvalidOperationException($"Feature column '{_column}' has a vector of {_byteBuffer.Length} values; expected {destination.Length}.");
        }

        var values = _byteBuffer.GetValues();
        if (_byteBuffer.IsDense)
        {
            TensorPrimitives.ConvertTruncating(values, destination);
            return;
        }

        destination.Clear();
        var indices = _byteBuffer.GetIndices();
        for (int i = 0; i < values.Length; i++)
        {
            destination[indices[i]] = values[i];
        }
    }
}
