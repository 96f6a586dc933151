using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Tests.Support;

/// <summary>A labelled image as a planar R, G, B byte vector whose length is set at run time.</summary>
public sealed class PixelRow
{
    public string Label { get; set; } = string.Empty;

    public byte[] Pixels { get; set; } = [];
}

/// <summary>Small seeded image data sets: class-dependent patterns (stripes of a class's direction) plus noise.</summary>
public static class ImageData
{
    /// <summary><paramref name="count"/> planar RGB images of <paramref name="height"/> × <paramref name="width"/>; the class decides the stripe direction.</summary>
    public static PixelRow[] Rows(int count, int height, int width, int seed, int classes = 4)
    {
        var random = new Random(seed);
        var rows = new PixelRow[count];
        for (int n = 0; n < count; n++)
        {
            int c = random.Next(classes);
            var pixels = new byte[3 * height * width];
            for (int ch = 0; ch < 3; ch++)
            {
                for (int r = 0; r < height; r++)
                {
                    for (int x = 0; x < width; x++)
                    {
                        int stripe = c switch { 0 => x, 1 => r, 2 => x + r, _ => x - r + height } / 3 % 2;
                        pixels[(ch * height * width) + (r * width) + x] = (byte)Math.Clamp((stripe * 120) + (ch * 30) + random.Next(60), 0, 255);
                    }
                }
            }

            rows[n] = new PixelRow { Label = SyntheticData.ClassNames[c], Pixels = pixels };
        }

        return rows;
    }

    /// <summary>A view with <c>Label</c> (text) and <c>Pixels</c> (known-size vector of Byte).</summary>
    public static IDataView ToDataView(MLContext ml, IEnumerable<PixelRow> rows, int length)
    {
        var schema = SchemaDefinition.Create(typeof(PixelRow));
        schema[nameof(PixelRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Byte, length);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>Planar channels (as the featurizers read them) from row-major interleaved H × W × C bytes.</summary>
    public static float[] PlanarFromInterleaved(IReadOnlyList<int> pixels, int height, int width, int channels)
    {
        var planes = new float[pixels.Count];
        int plane = height * width;
        for (int i = 0; i < plane; i++)
        {
            for (int c = 0; c < channels; c++)
            {
                planes[(c * plane) + i] = pixels[(i * channels) + c];
            }
        }

        return planes;
    }
}
