namespace MLNet.KnnLinear.Examples;

/// <summary>Where the examples find CIFAR-10 (linked into each example from examples/Shared).</summary>
internal static class CifarLocation
{
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
}
