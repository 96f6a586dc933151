using System.Globalization;
using System.Security;
using System.Text;
using Microsoft.ML.Data;
using MLNet.KnnLinear;

namespace MLNet.KnnLinear.Cifar10;

/// <summary>The example's pictures: a confusion matrix (SVG, with class names) and test images beside their nearest training images (PNG).</summary>
internal static class Pictures
{
    public static void SaveConfusionMatrix(ConfusionMatrix matrix, IReadOnlyList<string> classNames, string title, string path)
    {
        const int cell = 44;
        const int left = 110;
        const int top = 120;
        int n = matrix.NumberOfClasses;
        double max = matrix.Counts.SelectMany(r => r).Max();
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{left + (n * cell) + 20}\" height=\"{top + (n * cell) + 40}\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{SecurityElement.Escape(title)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"45\">predicted →</text><text x=\"10\" y=\"{top - 8}\">true ↓</text>\n");
        for (int i = 0; i < n; i++)
        {
            string raw = i < classNames.Count ? classNames[i] : i.ToString(CultureInfo.InvariantCulture);
            string name = SecurityElement.Escape(raw)!;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{top + (i * cell) + 27}\" text-anchor=\"end\">{name}</text>\n");
            string shortName = SecurityElement.Escape(raw.Length > 6 ? raw[..5] + "." : raw)!;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (i * cell) + (cell / 2)}\" y=\"{top - 8}\" text-anchor=\"middle\" font-size=\"11\">{shortName}</text>\n");
            for (int j = 0; j < n; j++)
            {
                double count = matrix.Counts[i][j];
                int shade = (int)(255 - (200 * count / max));
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left + (j * cell)}\" y=\"{top + (i * cell)}\" width=\"{cell}\" height=\"{cell}\" fill=\"rgb({shade},{shade},255)\" stroke=\"#999\"/><text x=\"{left + (j * cell) + (cell / 2)}\" y=\"{top + (i * cell) + 27}\" text-anchor=\"middle\">{count}</text>\n");
            }
        }

        svg.Append("</svg>\n");
        File.WriteAllText(path, svg.ToString());
    }

    /// <summary>Each row: a test image, a gap, then its <paramref name="neighbours"/> nearest training images, nearest first; 3× scaled.</summary>
    public static void SaveNeighbourGrid(KnnModelParameters model, float[] testPixels, float[] trainPixels, int rows, int neighbours, string path)
    {
        const int size = 32;
        const int scale = 3;
        const int tile = (size * scale) + 4;
        int columns = neighbours + 2;
        int width = columns * tile;
        int height = rows * tile;
        var rgb = new byte[width * height * 3];
        Array.Fill(rgb, (byte)255);
        for (int r = 0; r < rows; r++)
        {
            var query = testPixels.AsSpan(r * CifarFiles.PixelCount, CifarFiles.PixelCount).ToArray();
            Draw(rgb, width, r * tile, 0, query);
            var found = model.FindNearestNeighbors(query, neighbours);
            for (int n = 0; n < found.Length; n++)
            {
                Draw(rgb, width, r * tile, (n + 2) * tile, trainPixels.AsSpan(found[n].Row * CifarFiles.PixelCount, CifarFiles.PixelCount));
            }
        }

        PngEncoder.WriteRgb(path, rgb, width, height);

        static void Draw(byte[] rgb, int width, int top, int left, ReadOnlySpan<float> planar)
        {
            for (int y = 0; y < size * scale; y++)
            {
                for (int x = 0; x < size * scale; x++)
                {
                    int source = ((y / scale) * size) + (x / scale);
                    int at = (((top + 2 + y) * width) + left + 2 + x) * 3;
                    rgb[at] = (byte)planar[source];
                    rgb[at + 1] = (byte)planar[(size * size) + source];
                    rgb[at + 2] = (byte)planar[(2 * size * size) + source];
                }
            }
        }
    }
}
