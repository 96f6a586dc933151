using System.Diagnostics;
using Microsoft.ML;

namespace MLNet.KnnLinear.Tests.Support;

/// <summary>Runs the ModelRunner helper in a fresh process: load a saved model, transform saved data, dump columns.</summary>
public static class ModelRunnerProcess
{
    /// <summary>Saves <paramref name="data"/> beside <paramref name="modelPath"/>, runs the helper, returns the dumped rows as hex.</summary>
    public static List<string> Run(MLContext ml, string modelPath, IDataView data, params string[] columns)
    {
        string dir = Path.GetDirectoryName(modelPath)!;
        string dataPath = Path.Combine(dir, "data.idv");
        string output = Path.Combine(dir, "outputs.bin");
        using (var stream = File.Create(dataPath))
        {
            ml.Data.SaveAsBinary(data, stream);
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "exec", RepoPaths.ModelRunner, modelPath, dataPath, output }.Concat(columns))
        {
            start.ArgumentList.Add(arg);
        }

        using (var process = Process.Start(start)!)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            string stderr = process.StandardError.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("The model runner did not finish in 5 minutes.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"The model runner failed ({process.ExitCode}):\n{stdout.Result}\n{stderr}");
            }
        }

        using var reader = new BinaryReader(File.OpenRead(output));
        int rows = reader.ReadInt32();
        return Enumerable.Range(0, rows).Select(_ => Convert.ToHexString(reader.ReadBytes(reader.ReadInt32()))).ToList();
    }
}
