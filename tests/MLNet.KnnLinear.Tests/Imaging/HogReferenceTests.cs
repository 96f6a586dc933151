using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Imaging;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Imaging;

/// <summary>
/// HoG against scikit-image 0.19.3 (hard voting) and OpenCV 4.6.0 (trilinear voting) on the fixture
/// Fixtures/Hog/hog_reference.json, made by make_hog_reference.py beside it: every case within 1e-4.
/// </summary>
public sealed class HogReferenceTests
{
    private const float Tolerance = 1e-4f;

    public static TheoryData<string> SkimageCases => Names("skimage");

    public static TheoryData<string> OpenCvCases => Names("opencv");

    [Theory]
    [MemberData(nameof(SkimageCases))]
    public void Hog_HardVoting_EqualsScikitImage(string name)
    {
        var c = Fixture.Case(name);

        var actual = Compute(c, HogVoting.Hard);

        MaxAbsoluteDifference(actual, c.Expected).Should().BeLessThan(Tolerance, name);
    }

    [Theory]
    [MemberData(nameof(OpenCvCases))]
    public void Hog_TrilinearVoting_EqualsOpenCv(string name)
    {
        var c = Fixture.Case(name);

        var actual = ToOpenCvOrder(Compute(c, HogVoting.Trilinear), c);

        MaxAbsoluteDifference(actual, c.Expected).Should().BeLessThan(Tolerance, name);
    }

    /// <summary>The same parity through ML.NET: interleaved bytes in a pipeline, a few cases of each reference.</summary>
    [Theory]
    [InlineData("cifar1_max_L2Hys_sqrt")]
    [InlineData("smooth24x40_grayscale_cell4x6_block3x2_o12_L1Sqrt")]
    [InlineData("noise17x23_gray_L2Hys")]
    public void Hog_Transform_EqualsScikitImage(string name)
    {
        var c = Fixture.Case(name);
        var ml = new MLContext(1);
        var data = ImageData.ToDataView(ml, [new PixelRow { Pixels = c.Pixels.Select(p => (byte)p).ToArray() }], c.Pixels.Length);
        var options = Options(c, HogVoting.Hard);
        options.OutputColumnName = "Hog";
        options.InputColumnName = "Pixels";
        options.ImageHeight = c.Height;
        options.ImageWidth = c.Width;
        options.VectorChannels = c.Channels;
        options.PixelLayout = PixelLayout.Interleaved;

        var output = ml.Transforms.ExtractHogFeatures(options).Fit(data).Transform(data).GetColumn<VBuffer<float>>("Hog").Single();

        MaxAbsoluteDifference(output.DenseValues().ToArray(), c.Expected).Should().BeLessThan(Tolerance);
    }

    private static float[] Compute(HogCase c, HogVoting voting)
    {
        var parameters = Options(c, voting).ToParameters();
        var descriptor = new HogDescriptor(parameters, parameters.GeometryFor(c.Height, c.Width, c.Name), c.Channels);
        var output = new float[descriptor.Length];
        descriptor.Compute(ImageData.PlanarFromInterleaved(c.Pixels, c.Height, c.Width, c.Channels), output, descriptor.CreateScratch());
        output.Should().HaveCount(c.Expected.Length, "the descriptor length must match the reference's");
        return output;
    }

    private static HogFeaturesEstimator.Options Options(HogCase c, HogVoting voting) => new()
    {
        Orientations = c.Options.GetProperty("orientations").GetInt32(),
        CellHeight = c.Options.GetProperty("cellHeight").GetInt32(),
        CellWidth = c.Options.GetProperty("cellWidth").GetInt32(),
        BlockHeight = c.Options.GetProperty("blockHeight").GetInt32(),
        BlockWidth = c.Options.GetProperty("blockWidth").GetInt32(),
        BlockNormalization = Enum.Parse<HogBlockNormalization>(c.Options.GetProperty("blockNorm").GetString()!),
        SqrtCompression = c.Options.GetProperty("transformSqrt").GetBoolean(),
        ColorMode = c.Options.GetProperty("colorMode").GetString() == "Grayscale" ? HogColorMode.Grayscale : HogColorMode.MaxGradientChannel,
        Voting = voting,
    };

    /// <summary>Our row-major layout (block y, block x, cell y, cell x, bin) in OpenCV's column-major one (block x, block y, cell x, cell y, bin).</summary>
    private static float[] ToOpenCvOrder(float[] ours, HogCase c)
    {
        int bins = c.Options.GetProperty("orientations").GetInt32();
        int cellsPerBlock = 2;
        int blocks = (c.Height / 8) - 1;
        var result = new float[ours.Length];
        int at = 0;
        for (int bx = 0; bx < blocks; bx++)
        {
            for (int by = 0; by < blocks; by++)
            {
                for (int cx = 0; cx < cellsPerBlock; cx++)
                {
                    for (int cy = 0; cy < cellsPerBlock; cy++)
                    {
                        int from = ((((((by * blocks) + bx) * cellsPerBlock) + cy) * cellsPerBlock) + cx) * bins;
                        Array.Copy(ours, from, result, at, bins);
                        at += bins;
                    }
                }
            }
        }

        return result;
    }

    private static float MaxAbsoluteDifference(float[] actual, float[] expected)
    {
        actual.Should().HaveCount(expected.Length);
        return actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max();
    }

    private static TheoryData<string> Names(string reference)
    {
        var data = new TheoryData<string>();
        foreach (var c in Fixture.Cases.Where(c => c.Reference == reference))
        {
            data.Add(c.Name);
        }

        return data;
    }

    private sealed record HogCase(string Name, int Height, int Width, int Channels, int[] Pixels, string Reference, JsonElement Options, float[] Expected);

    private static class Fixture
    {
        private static readonly Lazy<HogCase[]> All = new(() =>
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Hog", "hog_reference.json")));
            return json.RootElement.GetProperty("cases").EnumerateArray().Select(c => new HogCase(
                c.GetProperty("name").GetString()!,
                c.GetProperty("height").GetInt32(),
                c.GetProperty("width").GetInt32(),
                c.GetProperty("channels").GetInt32(),
                c.GetProperty("pixels").EnumerateArray().Select(p => p.GetInt32()).ToArray(),
                c.GetProperty("reference").GetString()!,
                c.GetProperty("options").Clone(),
                c.GetProperty("expected").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray())).ToArray();
        });

        public static HogCase[] Cases => All.Value;

        public static HogCase Case(string name) => Cases.Single(c => c.Name == name);
    }
}
