namespace MLNet.KnnLinear.Plotting;

/// <summary>
/// Checks a plot's destination before anything is drawn, so a bad path fails with a message that names the problem
/// rather than with whatever the file system reports half-way through.
/// </summary>
internal static class PlotFile
{
    /// <summary>True when <paramref name="path"/> ends in ".png" (any case).</summary>
    public static bool IsPng(string path) => Path.GetExtension(path).Equals(".png", StringComparison.OrdinalIgnoreCase);

    /// <summary>Throws when <paramref name="path"/> is empty, names a folder, or lies in a folder that does not exist.</summary>
    public static void RequireWritablePath(string path, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path, parameterName);
        if (Path.EndsInDirectorySeparator(path) || Directory.Exists(path))
        {
            throw new ArgumentException($"Expected a file path for the plot, got the folder '{path}'.", parameterName);
        }

        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Cannot write the plot '{path}': the folder '{folder}' does not exist (create it first).");
        }
    }
}
