using Microsoft.ML;
using Microsoft.ML.Data;
using Spectre.Console;

namespace MLNet.KnnLinear.Examples;

/// <summary>
/// <c>--export-cifar10 DIR --per-class N</c>: the first N CIFAR-10 training images of each class written as
/// DIR/&lt;class&gt;/&lt;index&gt;.png, a folder of images to run the example on where there is none (CI). Shared by
/// the image-folder and similarity-search examples (linked from examples/Shared).
/// </summary>
internal static class CifarExport
{
    private const int Side = 32;
    private const int PixelCount = 3 * Side * Side;

    /// <returns>The process exit code.</returns>
    public static int Run(MLContext ml, string? dataArgument, string directory, int perClass)
    {
        string? data = CifarLocation.Locate(dataArgument);
        if (data is null)
        {
            string problem = string.IsNullOrEmpty(dataArgument)
                ? "CIFAR-10 not found: pass --data (the cifar-10-batches-bin folder or cifar-10-binary.tar.gz) or set CIFAR10_DIR."
                : $"--data {dataArgument}: {Path.GetFullPath(dataArgument)} is neither a file (cifar-10-binary.tar.gz, or one batch file) nor a folder holding test_batch.bin.";
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(problem)}[/]");
            return 1;
        }

        var images = ml.Data.LoadFromCifar10(data, Cifar10Split.Train, includeImages: false);
        VBuffer<ReadOnlyMemory<char>> keyValues = default;
        images.Schema["Label"].GetKeyValues(ref keyValues);
        string[] classes = keyValues.DenseValues().Select(n => n.ToString()).ToArray();
        string root = Path.GetFullPath(directory);
        var written = new int[classes.Length];
        int total = AnsiConsole.Progress().Start(progress =>
        {
            var task = progress.AddTask($"CIFAR-10 → {perClass} PNG images per class", maxValue: perClass * classes.Length);
            int count = 0;

            // Reading stops once every class has its images: a few hundred records, not all 50,000.
            foreach (var record in ml.Data.CreateEnumerable<CifarRecord>(images, reuseRowObject: false))
            {
                int c = (int)record.Label - 1;   // keys are 1-based
                if (c < 0 || c >= classes.Length || written[c] == perClass)
                {
                    continue;
                }

                string folder = Path.Combine(root, classes[c]);
                Directory.CreateDirectory(folder);
                SavePng(Path.Combine(folder, $"{written[c]:D4}.png"), record.Pixels);
                written[c]++;
                task.Increment(1);
                if (++count == perClass * classes.Length)
                {
                    break;
                }
            }

            return count;
        });
        AnsiConsole.MarkupLine($"Wrote {total:N0} CIFAR-10 training images ({classes.Length} classes) from [bold]{Markup.Escape(Path.GetFullPath(data))}[/] into [bold]{Markup.Escape(root)}[/].");
        return 0;
    }

    /// <summary>Planar R, G, B bytes (CIFAR-10's layout) to a PNG through ML.NET's MLImage.</summary>
    private static void SavePng(string path, byte[] planar)
    {
        const int plane = Side * Side;
        var rgba = new byte[plane * 4];
        for (int i = 0; i < plane; i++)
        {
            rgba[4 * i] = planar[i];
            rgba[(4 * i) + 1] = planar[plane + i];
            rgba[(4 * i) + 2] = planar[(2 * plane) + i];
            rgba[(4 * i) + 3] = 255;
        }

        using var image = MLImage.CreateFromPixels(Side, Side, MLPixelFormat.Rgba32, rgba);
        image.Save(path);
    }

    private sealed class CifarRecord
    {
        [KeyType(10)]
        public uint Label { get; set; }

        [VectorType(PixelCount)]
        public byte[] Pixels { get; set; } = [];
    }
}
