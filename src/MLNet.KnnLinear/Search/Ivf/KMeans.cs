using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Search.Ivf;

/// <summary>
/// Lloyd's k-means for the coarse quantizer of an inverted file: trained on a seeded sample, started from distinct
/// sample rows, each step assigning the sample to its nearest centroid with the exact index (matrix products for L2 and
/// cosine) and moving each centroid to its members' mean (summed in double, in row order). An empty cluster takes
/// half of the largest one: a copy of its centroid nudged apart (as faiss does). Deterministic for a seed, whatever
/// the thread count: every step is a pure function of the previous centroids.
/// </summary>
internal static class KMeans
{
    private const float Nudge = 1f / 1024;

    /// <summary>The queries one assignment search takes at most: 16 MiB of floats (at least one row).</summary>
    private const int AssignmentChunkBytes = 16 << 20;

    /// <summary>Returns <paramref name="clusters"/> × <paramref name="dimension"/> centroids, row-major.</summary>
    public static float[] Train(ReadOnlySpan<float> rows, int dimension, KnnDistance distance, int clusters, int iterations, int rowsPerCluster, int seed, int maxThreads)
    {
        int count = rows.Length / dimension;
        var order = SampleOrder(count, (long)clusters * rowsPerCluster, seed);
        var sample = new float[(long)order.Length * dimension];
        for (int i = 0; i < order.Length; i++)
        {
            rows.Slice(order[i] * dimension, dimension).CopyTo(sample.AsSpan(i * dimension, dimension));
        }

        return TrainOnSample(sample, dimension, distance, clusters, iterations, maxThreads);
    }

    /// <summary>
    /// Which rows <see cref="Train"/> samples from <paramref name="count"/> rows: a seeded permutation's first
    /// min(count, wanted). A caller holding its rows in another form (bytes) widens these rows into the sample and calls
    /// <see cref="TrainOnSample"/>, getting the centroids <see cref="Train"/> would give for the rows as floats.
    /// </summary>
    public static int[] SampleOrder(int count, long wanted, int seed)
    {
        var random = new Random(seed);
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        int take = (int)Math.Min(count, wanted);
        for (int i = 0; i < take; i++)
        {
            int j = random.Next(i, count);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order[..take];
    }

    /// <summary>k-means on <paramref name="sample"/>: the rows <see cref="SampleOrder"/> chose, in that order (it is not changed).</summary>
    public static float[] TrainOnSample(ReadOnlySpan<float> sample, int dimension, KnnDistance distance, int clusters, int iterations, int maxThreads)
    {
        int sampleCount = sample.Length / dimension;
        var centroids = new float[clusters * dimension];
        for (int c = 0; c < clusters; c++)
        {
            // The sample is a seeded permutation, so its first rows are a random distinct start.
            sample.Slice(c * dimension, dimension).CopyTo(centroids.AsSpan(c * dimension, dimension));
        }

        var assignment = new int[sampleCount];
        var distances = new float[sampleCount];
        var sums = new double[clusters * dimension];
        var sizes = new int[clusters];
        for (int step = 0; step < iterations; step++)
        {
            Cancellation.ThrowIfRequested();
            WorkProgress.Report("k-means iteration", step, iterations);
            // Assigned a bounded chunk at a time: a search copies its queries once, and the whole sample's copy per
            // iteration (0.8 GB for 65,536 pixel rows) piled up as garbage faster than the GC returned it.
            var nearest = new FlatIndex(centroids, dimension, distance, maxThreads);
            int chunk = Math.Max(1, AssignmentChunkBytes / sizeof(float) / dimension);
            for (int first = 0; first < sampleCount; first += chunk)
            {
                int n = Math.Min(chunk, sampleCount - first);
                nearest.Search(sample.Slice(first * dimension, n * dimension), 1, distances.AsSpan(first, n), assignment.AsSpan(first, n));
            }

            Array.Clear(sums);
            Array.Clear(sizes);
            for (int i = 0; i < sampleCount; i++)
            {
                int c = assignment[i];
                sizes[c]++;
                var row = sample.Slice(i * dimension, dimension);
                var sum = sums.AsSpan(c * dimension, dimension);
                for (int j = 0; j < dimension; j++)
                {
                    sum[j] += row[j];
                }
            }

            for (int c = 0; c < clusters; c++)
            {
                if (sizes[c] > 0)
                {
                    for (int j = 0; j < dimension; j++)
                    {
                        centroids[(c * dimension) + j] = (float)(sums[(c * dimension) + j] / sizes[c]);
                    }
                }
            }

            SplitLargestIntoEmpty(centroids, sizes, dimension);
        }

        WorkProgress.Report("k-means iteration", iterations, iterations);
        return centroids;
    }

    internal static void SplitLargestIntoEmpty(float[] centroids, int[] sizes, int dimension)
    {
        for (int empty = 0; empty < sizes.Length; empty++)
        {
            if (sizes[empty] != 0)
            {
                continue;
            }

            int largest = 0;
            for (int c = 1; c < sizes.Length; c++)
            {
                if (sizes[c] > sizes[largest])
                {
                    largest = c;
                }
            }

            for (int j = 0; j < dimension; j++)
            {
                float v = centroids[(largest * dimension) + j];
                float step = (j % 2 == 0 ? Nudge : -Nudge) * (Math.Abs(v) > 0 ? Math.Abs(v) : 1f);
                centroids[(empty * dimension) + j] = v + step;
                centroids[(largest * dimension) + j] = v - step;
            }

            sizes[empty] = sizes[largest] / 2;
            sizes[largest] -= sizes[empty];
        }
    }
}
