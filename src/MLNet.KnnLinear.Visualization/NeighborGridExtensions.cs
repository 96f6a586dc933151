using MLNet.KnnLinear.Visualization;

namespace MLNet.KnnLinear;

/// <summary>The nearest-neighbour grid of a kNN model on pixels (SkiaSharp PNG).</summary>
public static class NeighborGridExtensions
{
    /// <summary>Green frame: the neighbour's class is the query's.</summary>
    internal static readonly (byte R, byte G, byte B) Match = (40, 170, 60);

    /// <summary>Red frame: it is not.</summary>
    internal static readonly (byte R, byte G, byte B) Mismatch = (215, 40, 40);

    /// <summary>
    /// Saves one row per query: the query image, a gap, then its nearest training images, nearest first, each framed
    /// green when the neighbour's class is the query's true class and red when it is not. The features the model was
    /// trained on must be the images' pixels (kNN on raw pixels), planar (channel planes, as CIFAR-10 and
    /// ExtractPixels store them) with values 0–255.
    /// </summary>
    /// <param name="model">The kNN model.</param>
    /// <param name="queryImages">The query images (planar pixels, <see cref="KnnModelParameters.FeatureCount"/> values each).</param>
    /// <param name="queryClasses">Each query's true class index (0-based, the model's class order).</param>
    /// <param name="trainingImages">The training images in the order the model was trained on (the neighbours' rows).</param>
    /// <param name="path">The PNG file to write (its folder must exist).</param>
    /// <param name="imageHeight">Image height (32 for CIFAR-10).</param>
    /// <param name="imageWidth">Image width.</param>
    /// <param name="neighbors">Neighbours per row; null uses the model's k.</param>
    /// <param name="scale">Output pixels per image pixel.</param>
    /// <exception cref="ArgumentException">Lengths disagree, or an image does not have the model's feature count.</exception>
    public static void SaveNeighborGrid(this KnnModelParameters model, IReadOnlyList<float[]> queryImages, IReadOnlyList<int> queryClasses, IReadOnlyList<float[]> trainingImages, string path, int imageHeight = 32, int imageWidth = 32, int? neighbors = null, int scale = 3)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(queryImages);
        ArgumentNullException.ThrowIfNull(queryClasses);
        ArgumentNullException.ThrowIfNull(trainingImages);
        OutputFile.RequirePngPath(path, nameof(path));
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        if (queryImages.Count == 0 || queryImages.Count != queryClasses.Count)
        {
            throw new ArgumentException($"{queryImages.Count} query images and {queryClasses.Count} classes: give at least one query and one class per query.", nameof(queryClasses));
        }

        int channels = model.FeatureCount / Math.Max(1, imageHeight * imageWidth);
        if (channels is not (1 or 3) || (long)channels * imageHeight * imageWidth != model.FeatureCount)
        {
            throw new ArgumentException($"The model has {model.FeatureCount} features, which is not {imageHeight} × {imageWidth} × 1 or 3 pixels.", nameof(imageHeight));
        }

        int k = neighbors ?? model.NumberOfNeighbors;
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1, nameof(neighbors));
        const int border = 3;
        int tileWidth = (imageWidth * scale) + (2 * border) + 2;
        int tileHeight = (imageHeight * scale) + (2 * border) + 2;
        var picture = new RgbPicture((k + 2) * tileWidth, queryImages.Count * tileHeight);
        for (int q = 0; q < queryImages.Count; q++)
        {
            var query = queryImages[q] ?? throw new ArgumentException($"Query image {q} is null.", nameof(queryImages));
            if (query.Length != model.FeatureCount)
            {
                throw new ArgumentException($"Query image {q} has {query.Length} values; the model has {model.FeatureCount} features.", nameof(queryImages));
            }

            int top = q * tileHeight;
            picture.DrawPlanar(query, imageHeight, imageWidth, border + 1, top + border + 1, scale);
            var found = model.FindNearestNeighbors(query, k);
            for (int n = 0; n < found.Length; n++)
            {
                int row = found[n].Row;
                if ((uint)row >= (uint)trainingImages.Count || trainingImages[row] is not { } image || image.Length != model.FeatureCount)
                {
                    throw new ArgumentException($"Neighbour row {row} has no training image of {model.FeatureCount} values: pass the training images in the order the model was trained on.", nameof(trainingImages));
                }

                int left = (n + 2) * tileWidth;
                var (r, g, b) = found[n].ClassIndex == queryClasses[q] ? Match : Mismatch;
                picture.DrawFrame(left + 1, top + 1, tileWidth - 2, tileHeight - 2, border, r, g, b);
                picture.DrawPlanar(image, imageHeight, imageWidth, left + border + 1, top + border + 1, scale);
            }
        }

        picture.SavePng(path);
    }
}
