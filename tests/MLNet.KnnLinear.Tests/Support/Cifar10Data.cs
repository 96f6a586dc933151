namespace MLNet.KnnLinear.Tests.Support;

/// <summary>
/// Finds the shared CIFAR-10 binary batches: <c>CIFAR10_DIR</c>, else <c>../shared/data/cifar-10-batches-bin</c>
/// beside the repository. Under CI (<c>CI=true</c>) a missing folder fails the test; elsewhere the test is skipped
/// with the same message.
/// </summary>
public static class Cifar10Data
{
    public static string Directory
    {
        get
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable("CIFAR10_DIR");
            string path = !string.IsNullOrEmpty(fromEnvironment)
                ? fromEnvironment
                : Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "data", "cifar-10-batches-bin"));
            if (System.IO.Directory.Exists(path) && File.Exists(Path.Combine(path, "test_batch.bin")))
            {
                return path;
            }

            string message = $"CIFAR-10 binary batches not found at '{path}'. Set CIFAR10_DIR to a cifar-10-batches-bin folder (https://www.cs.toronto.edu/~kriz/cifar.html, binary version).";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(message);
            }

            Skip.If(true, message);
            return path;
        }
    }

    /// <summary>
    /// The first <paramref name="count"/> records of the given batch files, read in order: labels and the 3,072
    /// pixel bytes as floats (planar R, G, B). A plain reader for tests; the library's loader comes with LoadFromCifar10.
    /// </summary>
    public static (float[] Pixels, int[] Labels) Read(int count, params string[] files)
    {
        const int recordSize = 3073;
        var pixels = new List<float>(Math.Min(count, 10_000) * 3072);
        var labels = new List<int>(Math.Min(count, 10_000));
        foreach (string file in files)
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(Directory, file));
            for (int offset = 0; offset + recordSize <= bytes.Length && labels.Count < count; offset += recordSize)
            {
                labels.Add(bytes[offset]);
                for (int i = 1; i < recordSize; i++)
                {
                    pixels.Add(bytes[offset + i]);
                }
            }
        }

        return (pixels.ToArray(), labels.ToArray());
    }
}
