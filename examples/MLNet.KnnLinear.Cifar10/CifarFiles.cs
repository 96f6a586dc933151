using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Cifar10;

/// <summary>Finds the CIFAR-10 data and copies a loaded split into flat arrays (for the centred-pixel features).</summary>
internal static class CifarFiles
{
    public const int PixelCount = 3072;

    /// <summary>
    /// --data when given (and then only it: a wrong path is the caller's error, never a silent fall-back to other
    /// data), else CIFAR10_DIR, else ../shared/data/cifar-10-batches-bin beside the working directory or the repository.
    /// </summary>
    public static string? Locate(string? fromArguments)
    {
        if (!string.IsNullOrEmpty(fromArguments))
        {
            return IsCifar(fromArguments) ? fromArguments : null;
        }

        var candidates = new List<string?> { Environment.GetEnvironmentVariable("CIFAR10_DIR"), Path.Combine("..", "shared", "data", "cifar-10-batches-bin") };
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MLNet.KnnLinear.sln")))
            {
                candidates.Add(Path.Combine(dir.FullName, "..", "shared", "data", "cifar-10-batches-bin"));
            }
        }

        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && IsCifar(c));
    }

    private static bool IsCifar(string path) => File.Exists(path) || File.Exists(Path.Combine(path, "test_batch.bin"));

    /// <summary>The pixels (as floats, row-major) and 0-based labels of a LoadFromCifar10 view.</summary>
    public static (float[] Pixels, int[] Labels) ToArrays(MLContext ml, IDataView data)
    {
        var rows = ml.Data.CreateEnumerable<Record>(data, reuseRowObject: false).ToList();
        var pixels = new float[rows.Count * PixelCount];
        for (int i = 0; i < rows.Count; i++)
        {
            for (int k = 0; k < PixelCount; k++)
            {
                pixels[(i * PixelCount) + k] = rows[i].Pixels[k];
            }
        }

        return (pixels, rows.Select(r => (int)r.Label - 1).ToArray());
    }

    private sealed class Record
    {
        [KeyType(10)]
        public uint Label { get; set; }

        [VectorType(PixelCount)]
        public byte[] Pixels { get; set; } = [];
    }
}
