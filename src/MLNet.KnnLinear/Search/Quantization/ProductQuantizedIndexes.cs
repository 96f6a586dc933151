using MLNet.KnnLinear.Search.Ivf;

namespace MLNet.KnnLinear.Search.Quantization;

/// <summary>
/// Training either index of product-quantized codes from rows in any form: the rows to draw first
/// (<see cref="SampleOrders"/>), then the index from those rows gathered as floats (<see cref="Train"/>). Exact indexes
/// draw with seed 1 (their options have no seed); inverted files with theirs.
/// </summary>
internal static class ProductQuantizedIndexes
{
    /// <summary>The rows k-means (inverted files only; none for exact) and the product quantizer train on, of <paramref name="count"/>.</summary>
    public static (int Lists, int[] KMeansRows, int[] QuantizerRows) SampleOrders(NeighborIndexOptions options, int count)
        => options is IvfIndexOptions ivf
            ? IvfPqIndex.SampleOrders(count, ivf)
            : (0, [], ProductQuantizerTraining.SampleOrder(count, seed: 1));

    /// <summary>An empty index of codes trained on the rows <see cref="SampleOrders"/> chose (unit length for cosine).</summary>
    public static INeighborIndex Train(NeighborIndexOptions options, int lists, float[] kmeansSample, float[] quantizerSample, int dimension, KnnDistance distance, int maxThreads)
        => options is IvfIndexOptions ivf
            ? IvfPqIndex.Train(lists, kmeansSample, quantizerSample, dimension, distance, ivf, maxThreads)
            : new ProductQuantizedIndex(dimension, distance, ProductQuantizerTraining.Train(quantizerSample, dimension, options.Subquantizers, maxThreads), maxThreads);
}
