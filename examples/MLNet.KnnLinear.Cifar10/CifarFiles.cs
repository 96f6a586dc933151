namespace MLNet.KnnLinear.Cifar10;

/// <summary>
/// Finds and reads the CIFAR-10 binary batches (records of 1 label byte + 3,072 planar RGB pixel bytes).
/// A stop-gap for this example until the library's LoadFromCifar10 lands.
/// </summary>
internal static class CifarFiles
{
    public const int PixelCount = 3072;
    public static readonly string[] TrainBatches = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    /// <summary>--data, else CIFAR10_DIR, else ../shared/data/cifar-10-batches-bin beside the working directory or the repository.</summary>
    public static string? Locate(string? fromArguments)
    {
        var candidates = new List<string?> { fromArguments, Environment.GetEnvironmentVariable("CIFAR10_DIR"), Path.Combine("..", "shared", "data", "cifar-10-batches-bin") };
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MLNet.KnnLinear.sln")))
            {
                candidates.Add(Path.Combine(dir.FullName, "..", "shared", "data", "cifar-10-batches-bin"));
            }
        }

        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(Path.Combine(c, "test_batch.bin")));
    }

    public static (float[] Pixels, int[] Labels) Read(string directory, int maxRecords, params string[] files)
    {
        const int recordSize = PixelCount + 1;
        var pixels = new List<float>();
        var labels = new List<int>();
        foreach (string file in files)
        {
            string path = Path.Combine(directory, file);
            if (!File.Exists(path))
            {
                continue;
            }

            byte[] bytes = File.ReadAllBytes(path);
            if (bytes.Length % recordSize != 0)
            {
                throw new InvalidDataException($"{path}: {bytes.Length} bytes is not a whole number of {recordSize}-byte records.");
            }

            for (int offset = 0; offset < bytes.Length && labels.Count < maxRecords; offset += recordSize)
            {
                labels.Add(bytes[offset]);
                foreach (byte b in bytes.AsSpan(offset + 1, PixelCount))
                {
                    pixels.Add(b);
                }
            }
        }

        return (pixels.ToArray(), labels.ToArray());
    }
}
