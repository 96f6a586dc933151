using System.Numerics.Tensors;
using MLNet.KnnLinear.Visualization;

namespace MLNet.KnnLinear;

/// <summary>The class templates of a linear model trained on pixels (SkiaSharp PNG).</summary>
public static class ClassTemplateExtensions
{
    /// <summary>
    /// Writes each class's weights as a picture when the features are the pixels of a <paramref name="height"/> ×
    /// <paramref name="width"/> image with <paramref name="channels"/> channels (1 or 3), planar (all of channel 0, then
    /// 1, then 2, as CIFAR-10 and ExtractPixels store them) or interleaved. Each template is stretched to 0..255 over
    /// its own min..max. Writes <c>class-{c}.png</c> (or <c>class-{c}-{name}.png</c>) per class and
    /// <c>templates.png</c>, all of them side by side, into <paramref name="directory"/> (created if missing); returns
    /// the file paths.
    /// </summary>
    /// <param name="model">The linear model.</param>
    /// <param name="directory">The output folder.</param>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    /// <param name="channels">1 or 3.</param>
    /// <param name="planar">Channel planes (true) or interleaved pixels (false).</param>
    /// <param name="classNames">Names to put in the file names, in class order.</param>
    /// <exception cref="ArgumentOutOfRangeException">The image shape does not match the model's feature count.</exception>
    public static IReadOnlyList<string> SaveClassTemplates(this LinearModelParameters model, string directory, int height, int width, int channels = 3, bool planar = true, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (height < 1 || width < 1 || channels is not (1 or 3) || (long)height * width * channels != model.FeatureCount)
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"{height} × {width} × {channels} does not match the {model.FeatureCount} features (channels must be 1 or 3).");
        }

        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        var grid = new RgbPicture(width * model.ClassCount, height);
        Span<byte> rgb = stackalloc byte[3];
        for (int c = 0; c < model.ClassCount; c++)
        {
            var weights = model.GetClassWeights(c);
            float min = TensorPrimitives.Min(weights);
            float max = TensorPrimitives.Max(weights);
            float scale = max > min ? 255f / (max - min) : 0f;
            var picture = new RgbPicture(width, height);
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    for (int ch = 0; ch < 3; ch++)
                    {
                        int source = channels == 1 ? 0 : ch;
                        int index = planar ? (source * height * width) + (y * width) + x : (((y * width) + x) * channels) + source;
                        rgb[ch] = (byte)Math.Clamp(MathF.Round((weights[index] - min) * scale), 0, 255);
                    }

                    picture.Set(x, y, rgb[0], rgb[1], rgb[2]);
                    grid.Set((c * width) + x, y, rgb[0], rgb[1], rgb[2]);
                }
            }

            string name = classNames is not null && c < classNames.Count ? $"class-{c}-{Sanitize(classNames[c])}.png" : $"class-{c}.png";
            string path = Path.Combine(directory, name);
            picture.SavePng(path);
            paths.Add(path);
        }

        string gridPath = Path.Combine(directory, "templates.png");
        grid.SavePng(gridPath);
        paths.Add(gridPath);
        return paths;
    }

    private static string Sanitize(string name) => string.Concat(name.Select(ch => char.IsLetterOrDigit(ch) ? ch : '_'));
}
