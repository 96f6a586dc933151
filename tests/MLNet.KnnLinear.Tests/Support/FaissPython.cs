using System.Diagnostics;

namespace MLNet.KnnLinear.Tests.Support;

/// <summary>
/// Runs the faiss side of the interop tests with Debian's python3-faiss (<c>/usr/bin/python3</c>). Under CI
/// (<c>CI=true</c>, where .ci/run installs python3-faiss) a missing faiss fails the test; elsewhere it is skipped with
/// the same message.
/// </summary>
public static class FaissPython
{
    private const string Python = "/usr/bin/python3";

    public static string Script => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Faiss", "faiss_interop.py");

    /// <summary>Skips (or, under CI, fails) when faiss cannot be imported.</summary>
    public static void Require()
    {
        var (code, output) = Run("-c \"import faiss, numpy; print(faiss.__version__)\"");
        if (code == 0)
        {
            return;
        }

        string message = $"python3-faiss is not available ({Python}: {output.Trim()}); install it with: apt-get install -y python3-faiss python3-numpy";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(message);
        }

        Skip.If(true, message);
    }

    /// <summary>Runs the interop script in <paramref name="mode"/> on <paramref name="folder"/>; fails with its output on error.</summary>
    public static string RunScript(string mode, string folder)
    {
        var (code, output) = Run($"\"{Script}\" {mode} \"{folder}\"");
        if (code != 0)
        {
            throw new InvalidOperationException($"faiss_interop.py {mode} failed ({code}):\n{output}");
        }

        return output;
    }

    private static (int Code, string Output) Run(string arguments)
    {
        if (!File.Exists(Python))
        {
            return (-1, "not found");
        }

        var start = new ProcessStartInfo(Python, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr);
    }
}
