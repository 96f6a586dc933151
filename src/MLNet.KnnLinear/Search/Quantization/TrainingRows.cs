using System.Numerics.Tensors;

namespace MLNet.KnnLinear.Search.Quantization;

/// <summary>
/// The rows a training draws, copied out as floats in the order drawn (at unit length for cosine), from any form rows
/// come in: a span of floats or bytes (Train, Build) or a fit's chunked store.
/// </summary>
internal static class TrainingRows
{
    public static float[] Gather(ReadOnlySpan<float> rows, int dimension, int[] order, bool unit)
    {
        var chosen = new float[checked((long)order.Length * dimension)];
        for (int i = 0; i < order.Length; i++)
        {
            rows.Slice(order[i] * dimension, dimension).CopyTo(chosen.AsSpan(i * dimension, dimension));
        }

        return Finish(chosen, dimension, unit);
    }

    public static float[] Gather(ReadOnlySpan<byte> rows, int dimension, int[] order, bool unit)
    {
        var chosen = new float[checked((long)order.Length * dimension)];
        for (int i = 0; i < order.Length; i++)
        {
            TensorPrimitives.ConvertTruncating(rows.Slice(order[i] * dimension, dimension), chosen.AsSpan(i * dimension, dimension));
        }

        return Finish(chosen, dimension, unit);
    }

    public static float[] Gather(RowStore<float> rows, int[] order, bool unit)
    {
        int dimension = rows.Dimension;
        var chosen = new float[checked((long)order.Length * dimension)];
        for (int i = 0; i < order.Length; i++)
        {
            rows.Row(order[i]).CopyTo(chosen.AsSpan(i * dimension, dimension));
        }

        return Finish(chosen, dimension, unit);
    }

    public static float[] Gather(RowStore<byte> rows, int[] order, bool unit)
    {
        int dimension = rows.Dimension;
        var chosen = new float[checked((long)order.Length * dimension)];
        for (int i = 0; i < order.Length; i++)
        {
            TensorPrimitives.ConvertTruncating(rows.Row(order[i]), chosen.AsSpan(i * dimension, dimension));
        }

        return Finish(chosen, dimension, unit);
    }

    private static float[] Finish(float[] chosen, int dimension, bool unit)
    {
        if (unit)
        {
            UnitRows.Normalize(chosen, dimension);
        }

        return chosen;
    }
}
