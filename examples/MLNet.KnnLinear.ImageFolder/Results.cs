using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.ImageFolder;

/// <summary>One classifier fitted on the training features and evaluated on the test features.</summary>
internal sealed record FittedMethod(string Method, MulticlassClassificationMetrics Metrics, double FitSeconds, ITransformer Model);

/// <summary>A row of the results table, as written to results.json.</summary>
internal sealed record MethodResult(string Method, double MicroAccuracy, double MacroAccuracy, double FitSeconds);

/// <summary>results.json: what was run on what, the table, and which model was saved.</summary>
internal sealed record RunResults(
    string Folder,
    IReadOnlyList<string> Classes,
    int TrainImages,
    int TestImages,
    int Seed,
    double TestFraction,
    int ImageSize,
    double FeatureSeconds,
    IReadOnlyList<MethodResult> Methods,
    string Best,
    string Model)
{
    /// <summary>
    /// Indented camelCase JSON; λ written as itself rather than escaped; an undefined metric (NaN, e.g. a macro
    /// accuracy over a class with no test image) written as "NaN" rather than failing the run.
    /// </summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
