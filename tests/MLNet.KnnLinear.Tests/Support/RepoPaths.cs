namespace MLNet.KnnLinear.Tests.Support;

/// <summary>Locations outside the test's output folder: the repository root and the shared data beside it.</summary>
public static class RepoPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MLNet.KnnLinear.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"MLNet.KnnLinear.sln not found above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>The ModelRunner helper program, built beside the tests.</summary>
    public static string ModelRunner => Path.Combine(AppContext.BaseDirectory, "MLNet.KnnLinear.ModelRunner.dll");

    public static string NewTempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "mlnet-knnlinear-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
