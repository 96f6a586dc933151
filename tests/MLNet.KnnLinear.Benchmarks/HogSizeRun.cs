using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Imaging;

namespace MLNet.KnnLinear.Benchmarks;

/// <summary>
/// HoG by image size beside OpenCV in one run, robust to a shared machine: for each size (random colour images, about
/// 2 M pixels per pass) and voting, the best of several passes of the kernel over every image and of ML.NET's
/// <c>Transform</c> with one featurizer thread and with every core, the process CPU time over wall time of a one-thread
/// pass, and the bytes one Transform pass allocates on every thread. Then reference/hog_size_timing.py times OpenCV's
/// HOGDescriptor (one thread) in the same process tree, so ratios come from one run.
/// <code>dotnet run -c Release --project tests/MLNet.KnnLinear.Benchmarks -- hog-sizes [passes] [--no-opencv]</code>
/// Parameters: 8 × 8 cells, 2 × 2 blocks, stride one cell, 9 orientations, L2-Hys, colour (strongest channel).
/// </summary>
public static class HogSizeRun
{
    // KNNLINEAR_BENCH_SIZES (e.g. "480x640") and KNNLINEAR_BENCH_VOTING (Hard or Trilinear) narrow the run.
    private static readonly (int Height, int Width)[] Sizes = (Environment.GetEnvironmentVariable("KNNLINEAR_BENCH_SIZES") ?? "32x32,480x640,1080x1920")
        .Split(',').Select(s => s.Split('x')).Select(p => (int.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture))).ToArray();

    private static readonly HogVoting[] Votings = Environment.GetEnvironmentVariable("KNNLINEAR_BENCH_VOTING") is { } voting ? [Enum.Parse<HogVoting>(voting, ignoreCase: true)] : [HogVoting.Hard, HogVoting.Trilinear];

    public static int Run(string[] args)
    {
        int passes = args.Length > 1 && int.TryParse(args[1], out int p) ? p : 7;
        Console.WriteLine($"HoG per image, best of {passes} passes; {Environment.ProcessorCount} cores; hog path {HogHardBins.Path}, trilinear {HogTrilinearBins.Path}");
        Console.WriteLine("| size | voting | images | kernel | Transform, 1 thread | CPU / wall (1 thread) | Transform, all cores | allocated per image (all threads) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var (height, width) in Sizes)
        {
            int images = Math.Max(2, (1 << 21) / (height * width));
            int length = 3 * height * width;
            var all = new byte[(long)images * length];
            new Random(1).NextBytes(all);
            foreach (var voting in Votings)
            {
                var ml = new MLContext(seed: 1);
                var schema = SchemaDefinition.Create(typeof(HogImageSizeBenchmarks.Row));
                schema[nameof(HogImageSizeBenchmarks.Row.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Byte, length);
                var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, images).Select(i => new HogImageSizeBenchmarks.Row { Pixels = all.AsSpan(i * length, length).ToArray() }).ToArray(), schema);
                HogFeaturesEstimator.Options Options(int threads) => new() { OutputColumnName = "Hog", InputColumnName = "Pixels", ImageHeight = height, ImageWidth = width, Voting = voting, NumberOfThreads = threads };
                var one = ml.Transforms.ExtractHogFeatures(Options(1)).Fit(data);
                var every = ml.Transforms.ExtractHogFeatures(Options(Environment.ProcessorCount)).Fit(data);
                var parameters = Options(1).ToParameters();
                var hog = new HogDescriptor(parameters, parameters.GeometryFor(height, width, "Pixels"), 3);
                var scratch = hog.CreateScratch();
                var output = new float[hog.Length];

                double kernel = Best(passes, () =>
                {
                    for (int i = 0; i < images; i++)
                    {
                        hog.Compute(new PixelPlanes(all.AsSpan(i * length, length), 3, height, width), output, scratch);
                    }
                });
                ReadAll(one.Transform(data));
                var process = Process.GetCurrentProcess();
                double cpuRatio = double.MaxValue;
                double transformOne = Best(passes, () =>
                {
                    process.Refresh();
                    var cpu = process.TotalProcessorTime;
                    var wall = Stopwatch.StartNew();
                    ReadAll(one.Transform(data));
                    wall.Stop();
                    process.Refresh();
                    cpuRatio = Math.Min(cpuRatio, (process.TotalProcessorTime - cpu).TotalSeconds / wall.Elapsed.TotalSeconds);
                });
                ReadAll(every.Transform(data));
                double transformAll = Best(passes, () => ReadAll(every.Transform(data)));
                long before = GC.GetTotalAllocatedBytes(precise: true);
                ReadAll(one.Transform(data));
                long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
                Console.WriteLine($"| {height} × {width} | {voting} | {images:N0} | {Format(kernel / images)} | {Format(transformOne / images)} | {cpuRatio:F2} | {Format(transformAll / images)} | {allocated / images:N0} B ({(double)allocated / images / length:F2}× the image's bytes) |");
            }
        }

        if (!args.Contains("--no-opencv"))
        {
            string script = Path.Combine(AppContext.BaseDirectory, "reference", "hog_size_timing.py");
            script = File.Exists(script) ? script : Path.Combine("tests", "MLNet.KnnLinear.Benchmarks", "reference", "hog_size_timing.py");
            Console.WriteLine($"OpenCV in the same run (/usr/bin/python3 {script} --repeat {passes}):");
            using var python = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, "--repeat", passes.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
            python.WaitForExit();
        }

        return 0;
    }

    private static double Best(int passes, Action pass) => Enumerable.Range(0, passes).Min(_ =>
    {
        var watch = Stopwatch.StartNew();
        pass();
        return watch.Elapsed.TotalSeconds;
    });

    private static string Format(double seconds) => seconds < 1e-3 ? $"{seconds * 1e6:F1} µs" : $"{seconds * 1e3:F2} ms";

    private static void ReadAll(IDataView output)
    {
        using var cursor = output.GetRowCursor([output.Schema["Hog"]]);
        var getter = cursor.GetGetter<VBuffer<float>>(output.Schema["Hog"]);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
        }
    }
}
