using MLNet.KnnLinear.Pipeline;
using MLNet.KnnLinear.Search.Ivf;

namespace MLNet.KnnLinear.Search.Quantization;

/// <summary>
/// Trains a <see cref="ProductQuantizer"/> as faiss' <c>ProductQuantizer::train</c> does: in each sub-space, k-means
/// of 256 centroids over the same seeded sample of at most 256 rows a centroid (65,536), 25 iterations
/// (<see cref="SubspaceKMeans"/>). Sub-spaces are independent, so they are trained
/// side by side on the threads (each one single-threaded): the centroids depend on the seed and the rows, never on the
/// thread count.
/// </summary>
internal static class ProductQuantizerTraining
{
    /// <summary>k-means iterations per sub-space (faiss' <c>ProductQuantizer::cp.niter</c>).</summary>
    public const int Iterations = 25;

    /// <summary>Sample rows a centroid at most (faiss' <c>max_points_per_centroid</c>).</summary>
    public const int RowsPerCentroid = 256;

    /// <summary>The rows a quantizer trains on: a seeded sample of <paramref name="count"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer rows than a sub-space's 256 centroids.</exception>
    public static int[] SampleOrder(int count, int seed)
    {
        if (count < ProductQuantizer.CentroidsPerSubspace)
        {
            throw new ArgumentOutOfRangeException("sample", count, $"Product quantization learns {ProductQuantizer.CentroidsPerSubspace} centroids in each sub-space, so it trains on at least {ProductQuantizer.CentroidsPerSubspace} rows; got {count}.");
        }

        return KMeans.SampleOrder(count, (long)ProductQuantizer.CentroidsPerSubspace * RowsPerCentroid, seed);
    }

    /// <summary>
    /// A quantizer trained on <paramref name="sample"/>: the rows <see cref="SampleOrder"/> chose, in that order (for
    /// a cosine index already scaled to unit length; for an inverted file, residuals from their centroids).
    /// </summary>
    public static ProductQuantizer Train(ReadOnlySpan<float> sample, int dimension, int subquantizers, int maxThreads)
    {
        int rows = sample.Length / dimension;
        if (rows < ProductQuantizer.CentroidsPerSubspace)
        {
            throw new ArgumentOutOfRangeException(nameof(sample), rows, $"Product quantization learns {ProductQuantizer.CentroidsPerSubspace} centroids in each sub-space, so it trains on at least {ProductQuantizer.CentroidsPerSubspace} rows; got {rows}.");
        }

        int sub = dimension / subquantizers;
        var centroids = new float[(long)ProductQuantizer.CentroidsPerSubspace * dimension];
        var values = sample.ToArray();
        int threads = Math.Max(1, Math.Min(KnnLinearParallelism.ThreadsFor(maxThreads), subquantizers));
        int done = 0;
        int caller = Environment.CurrentManagedThreadId;
        ParallelRanges.Run(threads, t =>
        {
            var slice = new float[(long)rows * sub];
            for (int m = t; m < subquantizers; m += threads)
            {
                Cancellation.ThrowIfRequested();
                for (int r = 0; r < rows; r++)
                {
                    values.AsSpan((r * dimension) + (m * sub), sub).CopyTo(slice.AsSpan(r * sub, sub));
                }

                var trained = SubspaceKMeans.Train(slice, sub, Iterations);
                trained.CopyTo(centroids.AsSpan(m * ProductQuantizer.CentroidsPerSubspace * sub, trained.Length));
                int finished = Interlocked.Increment(ref done);
                if (Environment.CurrentManagedThreadId == caller)
                {
                    // Progress goes to the caller's thread only, as every report does.
                    WorkProgress.Report("product quantizer sub-spaces", finished, subquantizers);
                }
            }
        });

        return new ProductQuantizer(dimension, subquantizers, centroids);
    }
}
