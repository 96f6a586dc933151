using Microsoft.ML;
using MLNet.KnnLinear.Visualization;

namespace MLNet.KnnLinear;

/// <summary>HoG glyph pictures (SkiaSharp PNG).</summary>
public static class HogPictureExtensions
{
    /// <summary>
    /// Draws the HoG of the image in row <paramref name="row"/> of <paramref name="data"/> as scikit-image's
    /// <c>visualize=True</c> does: in each cell, one line per orientation bin through the cell centre, perpendicular to
    /// the bin's gradient direction (along the edge), as bright as the cell's (unnormalised) histogram value; written
    /// as a PNG <paramref name="scale"/> times the size of the cells' area.
    /// </summary>
    /// <param name="hog">The fitted HoG transformer.</param>
    /// <param name="data">Data with the transformer's input column.</param>
    /// <param name="row">The row (0-based) whose image is drawn.</param>
    /// <param name="path">The PNG file to write (its folder must exist).</param>
    /// <param name="scale">Output pixels per image pixel (4 by default: a 32 × 32 image gives 128 × 128).</param>
    /// <exception cref="ArgumentOutOfRangeException">The data has fewer rows, or the scale is below 1.</exception>
    public static void SaveVisualization(this HogFeaturesTransformer hog, IDataView data, long row, string path, int scale = 4)
    {
        ArgumentNullException.ThrowIfNull(hog);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        OutputFile.RequirePngPath(path, nameof(path));
        HogGlyphPicture.Draw(hog.GetCellHistograms(data, row), scale).SavePng(path);
    }
}
