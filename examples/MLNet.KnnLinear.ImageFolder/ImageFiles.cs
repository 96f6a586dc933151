namespace MLNet.KnnLinear.ImageFolder;

/// <summary>One image of the folder: its path relative to the folder (what LoadImages reads) and its class name.</summary>
internal sealed class ImageRow
{
    public string ImagePath { get; set; } = string.Empty;

    public string Label { get; set; } = string.Empty;
}

/// <summary>The folder's classes and images, and the seeded train/test split.</summary>
internal static class ImageFiles
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp" };

    public static bool IsImage(string path) => Extensions.Contains(Path.GetExtension(path));

    /// <summary>
    /// The subfolders of <paramref name="root"/> that hold images (searched recursively), by name; each class's
    /// image paths relative to the root, sorted, so the same folder always gives the same list before the seeded shuffle.
    /// The subfolder <paramref name="skip"/> (the output folder, if it is one) is no class: it holds a confusion matrix.
    /// </summary>
    public static List<(string Class, string[] Files)> ListClasses(string root, string skip)
    {
        var classes = new List<(string Class, string[] Files)>();
        foreach (string folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            if (Path.TrimEndingDirectorySeparator(folder) == Path.TrimEndingDirectorySeparator(skip))
            {
                continue;
            }

            string[] files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(IsImage)
                .Select(f => Path.GetRelativePath(root, f))
                .Order(StringComparer.Ordinal)
                .ToArray();
            if (files.Length > 0)
            {
                classes.Add((Path.GetFileName(folder), files));
            }
        }

        return classes;
    }

    /// <summary>
    /// Stratified split: each class is shuffled with the seed and the test takes its share of that class (rounded),
    /// so every class is in the test in proportion, and keeps at least one training image, so every class can be
    /// predicted. A plain random split of a small folder could leave a class out of the training set altogether.
    /// </summary>
    public static (ImageRow[] Train, ImageRow[] Test) Split(IReadOnlyList<(string Class, string[] Files)> classes, double testFraction, int seed)
    {
        var random = new Random(seed);
        var train = new List<ImageRow>();
        var test = new List<ImageRow>();
        foreach (var (name, files) in classes)
        {
            string[] shuffled = files.ToArray();
            random.Shuffle(shuffled);
            int testCount = Math.Min((int)Math.Round(shuffled.Length * testFraction, MidpointRounding.AwayFromZero), shuffled.Length - 1);
            for (int i = 0; i < shuffled.Length; i++)
            {
                (i < testCount ? test : train).Add(new ImageRow { ImagePath = shuffled[i], Label = name });
            }
        }

        // The training rows class after class would do for kNN and the full-batch softmax solver, but not for a
        // mini-batch one: mix them.
        var trainRows = train.ToArray();
        random.Shuffle(trainRows);
        return (trainRows, test.ToArray());
    }
}
