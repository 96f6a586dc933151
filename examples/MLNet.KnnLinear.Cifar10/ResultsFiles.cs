using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MLNet.KnnLinear.Cifar10;

/// <summary>One row of the results table, as results.json and results.csv hold it.</summary>
internal sealed record ResultRow(string Method, double MicroAccuracy, double MacroAccuracy, double LogLoss, double FitSeconds, double PredictSeconds);

/// <summary>The run's settings and machine beside its table, for results.json.</summary>
internal sealed record RunResults(string Data, int TrainImages, int TestImages, int Seed, int Threads, string Processor, int Cores, string Date, string? Model, IReadOnlyList<ResultRow> Rows);

/// <summary>Writes the results table machine-readably: results.json (with the settings) and results.csv (the rows).</summary>
internal static class ResultsFiles
{
    public static (string Json, string Csv) Write(string folder, RunResults results)
    {
        string json = Path.Combine(folder, "results.json");
        // NaN (e.g. a log-loss ML.NET could not compute) is written as a named literal rather than failing the run.
        File.WriteAllText(json, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        string csv = Path.Combine(folder, "results.csv");
        var text = new StringBuilder("method,micro_accuracy,macro_accuracy,log_loss,fit_seconds,predict_seconds\n");
        foreach (var row in results.Rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"\"{row.Method.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{row.MicroAccuracy:R},{row.MacroAccuracy:R},{row.LogLoss:R},{row.FitSeconds:F3},{row.PredictSeconds:F3}\n");
        }

        File.WriteAllText(csv, text.ToString());
        return (json, csv);
    }

    /// <summary>The processor's name (Linux: /proc/cpuinfo), so every figure names where it came from.</summary>
    public static string ProcessorName()
    {
        const string cpuInfo = "/proc/cpuinfo";
        string? line = File.Exists(cpuInfo) ? File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
        return line?.Split(':', 2)[1].Trim() ?? System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }
}
