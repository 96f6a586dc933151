using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.SimilaritySearch;

/// <summary>Image files to the feature vectors the index holds and queries ask with, and to thumbnails for the picture.</summary>
internal static class ImageFeatures
{
    public const string Hog = "hog";
    public const string Pixels = "pixels";

    /// <summary>What --features may name.</summary>
    public static readonly string[] Kinds = [Hog, Pixels];

    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp" };

    /// <summary>
    /// Every image under <paramref name="root"/>, subfolders included, as full paths sorted ordinally (so the same
    /// folder gives the same row numbers); files under <paramref name="skip"/> (the output folder, when it lies inside
    /// the root) are left out, so that a run never indexes the pictures of an earlier one.
    /// </summary>
    public static string[] List(string root, string skip)
    {
        string skipPrefix = Path.TrimEndingDirectorySeparator(skip) + Path.DirectorySeparatorChar;
        bool skipping = Path.TrimEndingDirectorySeparator(skip) != Path.TrimEndingDirectorySeparator(root);
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f)) && !(skipping && f.StartsWith(skipPrefix, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>The features of each file, one row each, row-major (what <c>NeighborIndex.Build</c> takes).</summary>
    public static (float[] Rows, int Dimension) Compute(MLContext ml, IReadOnlyList<string> files, string kind, int size)
    {
        var data = Load(ml, files);
        var features = Pipeline(ml, kind, size).Fit(data).Transform(data);
        float[][] vectors = features.GetColumn<VBuffer<float>>("Features").Select(v => v.DenseValues().ToArray()).ToArray();
        int dimension = vectors[0].Length;
        var rows = new float[vectors.Length * dimension];
        for (int i = 0; i < vectors.Length; i++)
        {
            vectors[i].CopyTo(rows, i * dimension);
        }

        return (rows, dimension);
    }

    /// <summary>Each file as a side × side image (centre-cropped to a square), planar R, G, B values 0–255: the neighbour picture's tiles.</summary>
    public static float[][] Thumbnails(MLContext ml, IReadOnlyList<string> files, int side)
    {
        var data = Load(ml, files);
        var pixels = Images(ml, side).Append(ml.Transforms.ExtractPixels("Pixels", "Image")).Fit(data).Transform(data);
        return pixels.GetColumn<VBuffer<float>>("Pixels").Select(v => v.DenseValues().ToArray()).ToArray();
    }

    private static IEstimator<ITransformer> Pipeline(MLContext ml, string kind, int size)
    {
        if (kind == Pixels)
        {
            // Raw pixels: planar R, G, B values 0–255, 3 × size × size of them; L2 between them is the lecture's
            // "nearest neighbour on pixels", which finds images of similar colour layout rather than similar things.
            return Images(ml, size).Append(ml.Transforms.ExtractPixels("Features", "Image"));
        }

        // Shape (HoG: 324 values at 32 × 32, each block unit-normalised) beside colour (8-bin hue, saturation and value
        // histograms, each summing to 1). Both are on a fixed scale, so no normaliser is fitted (unlike the
        // classifier example): a saved index needs only these settings to featurize new queries the same way.
        var colour = new ColorHistogramEstimator.Options { OutputColumnName = "Colour", InputColumnName = "Image", Channels = ColorHistogramChannels.Hsv, BinsPerChannel = 8 };
        return Images(ml, size)
            .Append(ml.Transforms.ExtractHogFeatures("Hog", "Image"))
            .Append(ml.Transforms.ExtractColorHistogram(colour))
            .Append(ml.Transforms.Concatenate("Features", "Hog", "Colour"));
    }

    /// <summary>
    /// Path → MLImage → side × side (ResizeImages' default: scaled and centre-cropped). The paths are full, so the
    /// image folder LoadImages joins them to does not matter (a rooted path replaces it).
    /// </summary>
    private static IEstimator<ITransformer> Images(MLContext ml, int side)
        => ml.Transforms.LoadImages("ImageFile", Environment.CurrentDirectory, "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", side, side, "ImageFile"));

    private static IDataView Load(MLContext ml, IReadOnlyList<string> files)
        => ml.Data.LoadFromEnumerable(files.Select(f => new ImageFile { ImagePath = f }));

    private sealed class ImageFile
    {
        public string ImagePath { get; set; } = string.Empty;
    }
}
