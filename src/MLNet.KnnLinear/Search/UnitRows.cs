using System.Numerics.Tensors;

namespace MLNet.KnnLinear.Search;

/// <summary>Scales rows to unit length in place (zero rows stay zero): how cosine rows are stored and written as inner product.</summary>
internal static class UnitRows
{
    public static void Normalize(Span<float> rows, int dimension)
    {
        for (int r = 0; r < rows.Length / dimension; r++)
        {
            var row = rows.Slice(r * dimension, dimension);
            float norm = TensorPrimitives.Norm(row);
            if (norm > 0)
            {
                TensorPrimitives.Divide(row, norm, row);
            }
        }
    }
}
