using System.Numerics.Tensors;
using MLNet.KnnLinear.Search.Ivf;

namespace MLNet.KnnLinear.Search.Quantization;

/// <summary>
/// Lloyd's k-means of one product-quantizer sub-space: 256 centroids of a few values each (d / m: 2 for 192 features
/// in 96 bytes). The general k-means runs the exact index's matrix product, which at two values a row is all overhead
/// (an index laid out per iteration, blocks of one depth): set B's 96 sub-spaces took 186 s that way. Here the centroids
/// are held transposed (value, centroid), and a row's distances to all 256 are ‖y‖² − 2⟨x, y⟩ built by one 256-wide
/// multiply-add per value (TensorPrimitives), then the nearest taken (the first of equals). Otherwise as
/// <see cref="KMeans.TrainOnSample"/>: started from the sample's first 256 rows, members' means summed in double in row
/// order, an empty cluster split off the largest; single-threaded and deterministic.
/// </summary>
internal static class SubspaceKMeans
{
    private const int Clusters = ProductQuantizer.CentroidsPerSubspace;

    /// <summary>Returns 256 × <paramref name="dimension"/> centroids (centroid, value) of <paramref name="sample"/> (rows × dimension).</summary>
    public static float[] Train(ReadOnlySpan<float> sample, int dimension, int iterations)
    {
        int rows = sample.Length / dimension;
        var centroids = sample[..(Clusters * dimension)].ToArray();
        var transposed = new float[Clusters * dimension];
        var norms = new float[Clusters];
        var distances = new float[Clusters];
        var assignment = new int[rows];
        var sums = new double[Clusters * dimension];
        var sizes = new int[Clusters];
        for (int step = 0; step < iterations; step++)
        {
            Pipeline.Cancellation.ThrowIfRequested();
            for (int c = 0; c < Clusters; c++)
            {
                var centroid = centroids.AsSpan(c * dimension, dimension);
                norms[c] = TensorPrimitives.Dot(centroid, centroid);
                for (int t = 0; t < dimension; t++)
                {
                    transposed[(t * Clusters) + c] = centroid[t];
                }
            }

            for (int r = 0; r < rows; r++)
            {
                var row = sample.Slice(r * dimension, dimension);
                norms.CopyTo(distances, 0);
                for (int t = 0; t < dimension; t++)
                {
                    TensorPrimitives.MultiplyAdd(transposed.AsSpan(t * Clusters, Clusters), -2f * row[t], distances, distances);
                }

                assignment[r] = TensorPrimitives.IndexOfMin(distances);
            }

            Array.Clear(sums);
            Array.Clear(sizes);
            for (int r = 0; r < rows; r++)
            {
                int c = assignment[r];
                sizes[c]++;
                for (int t = 0; t < dimension; t++)
                {
                    sums[(c * dimension) + t] += sample[(r * dimension) + t];
                }
            }

            for (int c = 0; c < Clusters; c++)
            {
                if (sizes[c] > 0)
                {
                    for (int t = 0; t < dimension; t++)
                    {
                        centroids[(c * dimension) + t] = (float)(sums[(c * dimension) + t] / sizes[c]);
                    }
                }
            }

            KMeans.SplitLargestIntoEmpty(centroids, sizes, dimension);
        }

        return centroids;
    }
}
