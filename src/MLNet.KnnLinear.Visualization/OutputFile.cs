namespace MLNet.KnnLinear.Visualization;

/// <summary>
/// Checks a picture's destination before anything is drawn, so a bad path fails with a message that names the
/// problem rather than with whatever the file system reports half-way through.
/// </summary>
internal static class OutputFile
{
    /// <summary>True when <paramref name="path"/> ends in ".png" (any case).</summary>
    public static bool IsPng(string path) => Path.GetExtension(path).Equals(".png", StringComparison.OrdinalIgnoreCase);

    /// <summary>Throws when <paramref name="path"/> is empty, names a folder, or lies in a folder that does not exist.</summary>
    public static void RequireWritablePath(string path, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path, parameterName);
        if (Path.EndsInDirectorySeparator(path) || Directory.Exists(path))
        {
            throw new ArgumentException($"Expected a file path for the picture, got the folder '{path}'.", parameterName);
        }

        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Cannot write '{path}': the folder '{folder}' does not exist (create it first).");
        }
    }

    /// <summary>As <see cref="RequireWritablePath"/>, and the path must end in ".png".</summary>
    public static void RequirePngPath(string path, string parameterName)
    {
        RequireWritablePath(path, parameterName);
        if (!IsPng(path))
        {
            throw new ArgumentException($"Expected a path ending in .png, got '{path}'.", parameterName);
        }
    }
}
