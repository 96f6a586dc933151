using System.Text.Json;
using MLNet.KnnLinear.Imaging;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Imaging;

/// <summary>
/// Hue, saturation and value histograms against the CS231n <c>color_histogram_hsv</c> (matplotlib 3.6.3, numpy
/// 1.24.2) on Fixtures/Hog/color_histogram_reference.json, made by make_color_histogram_reference.py beside it,
/// including colours that sit on or within 1e-9 of a bin edge.
/// </summary>
public sealed class ColorHistogramReferenceTests
{
    public static TheoryData<string> Cases
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var c in Fixture.Value)
            {
                data.Add(c.GetProperty("name").GetString()!);
            }

            return data;
        }
    }

    private static readonly Lazy<JsonElement[]> Fixture = new(() =>
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Hog", "color_histogram_reference.json")));
        return json.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToArray();
    });

    [Theory]
    [MemberData(nameof(Cases))]
    public void ColorHistogram_EqualsCs231nDefinition(string name)
    {
        var c = Fixture.Value.Single(e => e.GetProperty("name").GetString() == name);
        int height = c.GetProperty("height").GetInt32();
        int width = c.GetProperty("width").GetInt32();
        int bins = c.GetProperty("bins").GetInt32();
        var channel = Enum.Parse<ColorHistogramChannels>(c.GetProperty("channel").GetString()!);
        var pixels = c.GetProperty("pixels").EnumerateArray().Select(p => p.GetInt32()).ToArray();
        var expected = c.GetProperty("expected").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var counts = c.GetProperty("counts").EnumerateArray().Select(v => v.GetInt32()).ToArray();

        var histogram = new ColorHistogram(new ColorHistogramParameters(channel, bins, Joint: false, 255), height * width, 3);
        var output = new float[histogram.Length];
        histogram.Compute(ImageData.PlanarFromInterleaved(pixels, height, width, 3), output);

        output.Select(v => (int)Math.Round(v * height * width)).Should().Equal(counts, "every pixel must land in numpy's bin");
        for (int i = 0; i < bins; i++)
        {
            output[i].Should().BeApproximately((float)expected[i], 1e-6f);
        }
    }
}
