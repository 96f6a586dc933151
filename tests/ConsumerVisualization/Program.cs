using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear;

// The Visualization package's consumer test (.ci/consumer-test): a new console project outside the repository that
// references MLNet.KnnLinear.Visualization by version (the core comes with it). A sweep and an evaluation on synthetic
// data are drawn as the sweep plot and the confusion matrix; each PNG is decoded by ML.NET's MLImage and checked for
// its size and a non-blank plot area.
// Usage: dotnet run -- [WORK_DIRECTORY]. Exit code 0 when every check passes.
string work = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "knnlinear-visualization-consumer"));
Directory.CreateDirectory(work);
var ml = new MLContext(seed: 1);
var random = new Random(3);
var rows = Enumerable.Range(0, 300).Select(i =>
{
    int c = i % 3;
    return new Row { Label = $"class {c}", Features = Enumerable.Range(0, 8).Select(j => (float)(random.Next(16) + (j % 3 == c ? 8 : 0))).ToArray() };
}).ToArray();
var schema = SchemaDefinition.Create(typeof(Row));
schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 8);
var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(rows, schema)).Transform(ml.Data.LoadFromEnumerable(rows, schema));

var sweep = ml.MulticlassClassification.SweepByValidationSplit(
    data,
    new[] { 1, 3, 5, 9 }.Select(k => new SweepCandidate($"k = {k}", k, ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: k))));
string plot = Path.Combine(work, "sweep.png");
sweep.SavePlot(plot, "k");
bool ok = Check(plot, 800, 500);

var model = ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: sweep.Best.Candidate.Parameter is var k ? (int)k : 1).Fit(data);
string matrix = Path.Combine(work, "confusion-matrix.png");
ml.MulticlassClassification.Evaluate(model.Transform(data)).ConfusionMatrix.SavePlot(matrix, model.ClassNames);
ok &= Check(matrix, 0, 0);

Console.WriteLine(ok ? "visualization consumer test: OK" : "visualization consumer test: FAILED");
return ok ? 0 : 1;

static bool Check(string path, int width, int height)
{
    using var image = MLImage.CreateFromFile(path);
    byte[] pixels = image.Pixels.ToArray();
    int distinct = Enumerable.Range(0, image.Width * image.Height).Select(i => pixels[4 * i] | (pixels[(4 * i) + 1] << 8) | (pixels[(4 * i) + 2] << 16)).Distinct().Count();
    bool ok = (width == 0 || (image.Width == width && image.Height == height)) && distinct > 10;
    Console.WriteLine($"{Path.GetFileName(path)}: {image.Width} × {image.Height}, {distinct} distinct colours: {(ok ? "ok" : "WRONG")}");
    return ok;
}

internal sealed class Row
{
    public string Label { get; set; } = string.Empty;

    public float[] Features { get; set; } = [];
}
