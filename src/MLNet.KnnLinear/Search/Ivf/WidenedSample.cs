using System.Numerics.Tensors;

namespace MLNet.KnnLinear.Search.Ivf;

/// <summary>
/// The rows k-means trains on, widened from bytes to floats in native memory that is given back to the system the
/// moment training ends. As a managed array the sample (65,536 CIFAR rows: 0.8 GB) stayed committed in the GC heap
/// after training, under the lists filled next: the 750,000-row inverted file peaked at 1.8× its row bytes.
/// </summary>
internal sealed unsafe class WidenedSample : IDisposable
{
    private nint _start;
    private readonly long _bytes;
    private readonly bool _mapped;

    private WidenedSample(int rows, int dimension)
    {
        long values = (long)rows * dimension;
        if (values > Array.MaxLength)
        {
            throw new InvalidOperationException($"A k-means sample of {rows} rows of {dimension} features is more than {Array.MaxLength} values; use fewer lists or fewer training rows per list.");
        }

        Length = (int)values;
        _bytes = Math.Max(1, values * sizeof(float));
        _start = ZeroedPages.Allocate(_bytes, out _mapped);
    }

    /// <summary>Rows <paramref name="order"/>[0], order[1], … of the row-major <paramref name="rows"/>, as floats in that order.</summary>
    public static WidenedSample From(ReadOnlySpan<byte> rows, int dimension, int[] order)
    {
        var sample = new WidenedSample(order.Length, dimension);
        var destination = sample.Writable;
        for (int i = 0; i < order.Length; i++)
        {
            TensorPrimitives.ConvertTruncating(rows.Slice(order[i] * dimension, dimension), destination.Slice(i * dimension, dimension));
        }

        return sample;
    }

    /// <summary>Rows <paramref name="order"/>[0], order[1], … of <paramref name="rows"/>, as floats in that order.</summary>
    public static WidenedSample From(RowStore<byte> rows, int[] order)
    {
        int dimension = rows.Dimension;
        var sample = new WidenedSample(order.Length, dimension);
        var destination = sample.Writable;
        for (int i = 0; i < order.Length; i++)
        {
            TensorPrimitives.ConvertTruncating(rows.Row(order[i]), destination.Slice(i * dimension, dimension));
        }

        return sample;
    }

    /// <summary>Values held: rows × dimension.</summary>
    public int Length { get; }

    /// <summary>The sample, valid until <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<float> Values
    {
        get
        {
            ObjectDisposedException.ThrowIf(_start == 0, this);
            return new ReadOnlySpan<float>((void*)_start, Length);
        }
    }

    private Span<float> Writable => new((void*)_start, Length);

    public void Dispose()
    {
        ZeroedPages.Free(_start, _bytes, _mapped);
        _start = 0;
        GC.SuppressFinalize(this);
    }

    ~WidenedSample() => ZeroedPages.Free(_start, _bytes, _mapped);
}
