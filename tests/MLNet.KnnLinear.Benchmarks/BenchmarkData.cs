namespace MLNet.KnnLinear.Benchmarks;

/// <summary>
/// Inputs shaped like CIFAR-10 pixels (whole numbers 0..255 as float32; search cost does not depend on the values)
/// and the sizes benchmarks sweep. With KNNLINEAR_BENCH_SMOKE=1 every sweep shrinks to one tiny case, so a test can
/// run each benchmark once (dry job) and keep them compiling and running.
/// </summary>
public static class BenchmarkData
{
    public static bool Smoke => Environment.GetEnvironmentVariable("KNNLINEAR_BENCH_SMOKE") == "1";

    public static float[] Pixels(int rows, int dimension, int seed)
    {
        var random = new Random(seed);
        var values = new float[(long)rows * dimension];
        for (long i = 0; i < values.LongLength; i++)
        {
            values[i] = random.Next(256);
        }

        return values;
    }

    public static int Dimension => Smoke ? 48 : 3072;

    /// <summary>Training-row counts to sweep: KNNLINEAR_BENCH_ROWS (comma-separated) or the given defaults.</summary>
    public static IEnumerable<int> RowCounts(params int[] defaults)
    {
        if (Smoke)
        {
            return [200];
        }

        string? fromEnvironment = Environment.GetEnvironmentVariable("KNNLINEAR_BENCH_ROWS");
        return string.IsNullOrEmpty(fromEnvironment) ? defaults : fromEnvironment.Split(',').Select(int.Parse).ToArray();
    }

    /// <summary>Queries per search: KNNLINEAR_BENCH_QUERIES, else 1,000 (10 in smoke runs).</summary>
    public static int Queries => Smoke ? 10 : int.TryParse(Environment.GetEnvironmentVariable("KNNLINEAR_BENCH_QUERIES"), out int q) ? q : 1000;
}
