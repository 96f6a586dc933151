using System.Text.Json;

namespace MLNet.KnnLinear.SimilaritySearch;

/// <summary>How the rows of a saved index were made: what a query must repeat to be compared with them.</summary>
internal sealed record IndexSettings(string Features, int Size, string Index, int Count, int Dimension);

/// <summary>
/// A saved index is three files: index.faiss (the vectors and the search structure in faiss' format, which Python's
/// <c>faiss.read_index</c> also reads), files.txt (line i is the image of row i: a NeighborIndex numbers its rows
/// 0, 1, … in the order they are added) and index.json (the featurization, <see cref="IndexSettings"/>).
/// </summary>
internal static class IndexFiles
{
    public const string IndexFile = "index.faiss";
    public const string FilesFile = "files.txt";
    public const string SettingsFile = "index.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static void Save(string directory, NeighborIndex index, IReadOnlyList<string> files, IndexSettings settings)
    {
        index.SaveFaiss(Path.Combine(directory, IndexFile));
        File.WriteAllLines(Path.Combine(directory, FilesFile), files);
        File.WriteAllText(Path.Combine(directory, SettingsFile), JsonSerializer.Serialize(settings, Json));
    }

    /// <exception cref="InvalidDataException">A file is missing, or the three do not belong together (the message says which).</exception>
    public static (NeighborIndex Index, string[] Files, IndexSettings Settings) Load(string directory)
    {
        foreach (string name in new[] { IndexFile, FilesFile, SettingsFile })
        {
            if (!File.Exists(Path.Combine(directory, name)))
            {
                throw new InvalidDataException($"{Path.Combine(directory, name)} is missing; a folder saved by an earlier run holds {IndexFile}, {FilesFile} and {SettingsFile}.");
            }
        }

        var settings = JsonSerializer.Deserialize<IndexSettings>(File.ReadAllText(Path.Combine(directory, SettingsFile)), Json)
            ?? throw new InvalidDataException($"{SettingsFile} holds no settings.");
        if (Array.IndexOf(ImageFeatures.Kinds, settings.Features) < 0 || settings.Size < 16)
        {
            throw new InvalidDataException($"{SettingsFile} names features '{settings.Features}' of {settings.Size} × {settings.Size} images; expected {string.Join(" or ", ImageFeatures.Kinds)} of at least 16 × 16.");
        }

        string[] files = File.ReadAllLines(Path.Combine(directory, FilesFile));
        var index = NeighborIndex.LoadFaiss(Path.Combine(directory, IndexFile));
        if (index.Count != files.Length || index.Dimension != settings.Dimension)
        {
            throw new InvalidDataException($"{IndexFile} holds {index.Count:N0} rows of {index.Dimension} values, {FilesFile} names {files.Length:N0} images and {SettingsFile} says {settings.Dimension} values: they are not from one run.");
        }

        return (index, files, settings);
    }
}
