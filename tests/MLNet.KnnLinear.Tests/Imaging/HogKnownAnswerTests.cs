using MLNet.KnnLinear.Imaging;

namespace MLNet.KnnLinear.Tests.Imaging;

/// <summary>HoG of images whose descriptor can be worked out by hand.</summary>
public sealed class HogKnownAnswerTests
{
    /// <summary>
    /// A 16 × 16 grey image, 0 left of column 8 and 100 from it: columns 7 and 8 have gradient (100, 0), angle 0°,
    /// so every 8 × 8 cell holds 8 pixels × 100 / 64 = 12.5 in bin 0 and nothing else. The one 2 × 2 block
    /// normalises four equal cells: L1 → 12.5 / 50 = 0.25, L1Sqrt → 0.5, L2 → 12.5 / 25 = 0.5, L2Hys → 0.5
    /// (clipped to 0.2, then back to 0.5).
    /// </summary>
    [Theory]
    [InlineData(HogBlockNormalization.None, 12.5)]
    [InlineData(HogBlockNormalization.L1, 0.25)]
    [InlineData(HogBlockNormalization.L1Sqrt, 0.5)]
    [InlineData(HogBlockNormalization.L2, 0.5)]
    [InlineData(HogBlockNormalization.L2Hys, 0.5)]
    public void Hog_VerticalEdge_AllMagnitudeInBinZeroOfEveryCell(HogBlockNormalization norm, double expected)
    {
        var output = Compute(Edge(16, 16, vertical: true, from: 0, to: 100), channels: 1, Parameters(norm));

        output.Should().HaveCount(36);
        for (int cell = 0; cell < 4; cell++)
        {
            output[cell * 9].Should().BeApproximately((float)expected, 1e-5f);
            output.Skip((cell * 9) + 1).Take(8).Should().OnlyContain(v => v == 0);
        }
    }

    /// <summary>A horizontal edge: gradient (0, 100), angle 90°, bin 4 of 9 (80°–100°).</summary>
    [Fact]
    public void Hog_HorizontalEdge_AllMagnitudeInTheNinetyDegreeBin()
    {
        var output = Compute(Edge(16, 16, vertical: false, from: 0, to: 100), channels: 1, Parameters(HogBlockNormalization.None));

        for (int cell = 0; cell < 4; cell++)
        {
            output.Skip(cell * 9).Take(9).Should().Equal(0f, 0f, 0f, 0f, 12.5f, 0f, 0f, 0f, 0f);
        }
    }

    /// <summary>A falling edge has angle 180°: folded to bin 0 when unsigned, bin 9 of 18 over 360° when signed.</summary>
    [Fact]
    public void Hog_FallingEdge_UnsignedFoldsSignedDoesNot()
    {
        var image = Edge(16, 16, vertical: true, from: 100, to: 0);

        Compute(image, 1, Parameters(HogBlockNormalization.None))[0].Should().Be(12.5f);
        var signed = Compute(image, 1, Parameters(HogBlockNormalization.None) with { Orientations = 18, SignedGradients = true });
        signed[0].Should().Be(0f);
        signed[9].Should().Be(12.5f);
    }

    /// <summary>
    /// Colour: a red step of 100 (vertical edge) crossing a blue step of 60 (horizontal edge). Each pixel takes the
    /// channel of largest magnitude, so the red edge votes 100 in bin 0 and the blue edge 60 in bin 4, except where
    /// they cross, where red (100 &gt; 60) wins; converting to grey first mixes them with the luma weights instead.
    /// </summary>
    [Fact]
    public void Hog_Colour_MaxGradientChannelPicksTheStrongerEdge()
    {
        const int size = 16;
        var planes = new float[3 * size * size];
        for (int r = 0; r < size; r++)
        {
            for (int c = 0; c < size; c++)
            {
                planes[(r * size) + c] = c >= 8 ? 100 : 0;
                planes[(2 * size * size) + (r * size) + c] = r >= 8 ? 60 : 0;
            }
        }

        var output = Compute(planes, 3, Parameters(HogBlockNormalization.None));

        // Cell (0, 0): column 7 (rows 0-7) gives 8 × 100 in bin 0; row 7 (columns 0-6, column 7 is red's) 7 × 60 in bin 4.
        output[0].Should().BeApproximately(800f / 64, 1e-5f);
        output[4].Should().BeApproximately(420f / 64, 1e-5f);

        var gray = Compute(planes, 3, Parameters(HogBlockNormalization.None) with { ColorMode = HogColorMode.Grayscale });
        // Grey = 0.2125 R + 0.0721 B: column 7 has gx = 21.25; at row 7 also gy = 4.326 (angle 11.5°, still bin 0).
        float gx = 100 * HogGradients.RedWeight;
        float gy = 60 * HogGradients.BlueWeight;
        gray[0].Should().BeApproximately(((7 * gx) + MathF.Sqrt((gx * gx) + (gy * gy))) / 64, 1e-4f);
    }

    [Theory]
    [InlineData(32, 32, 8, 2, 1, 9, 324)]
    [InlineData(32, 32, 4, 2, 1, 9, 1764)]
    [InlineData(64, 48, 8, 3, 1, 9, 6 * 4 * 81)]
    [InlineData(17, 23, 8, 1, 1, 12, 2 * 2 * 12)]
    [InlineData(40, 40, 8, 2, 2, 9, 2 * 2 * 36)]
    public void Hog_Length_FollowsTheDocumentedFormula(int height, int width, int cell, int block, int stride, int orientations, int expected)
    {
        var parameters = Parameters(HogBlockNormalization.L2Hys) with { CellHeight = cell, CellWidth = cell, BlockHeight = block, BlockWidth = block, BlockStride = stride, Orientations = orientations };

        new HogDescriptor(parameters, parameters.GeometryFor(height, width, "Pixels"), 3).Length.Should().Be(expected);
    }

    [Fact]
    public void Hog_ImageSmallerThanABlock_NamesColumnAndSizes()
    {
        var act = () => Parameters(HogBlockNormalization.L2).GeometryFor(12, 40, "Pixels");

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Pixels'*12 × 40*2 × 2 cells*16 × 16 pixels*");
    }

    [Fact]
    public void Hog_Trilinear_ConstantGradientSpreadsOverNeighbouringBinsAndCells()
    {
        // A horizontal ramp: gradient (2, 0) inside, angle 0°, which sits between the centres of bins 8 (170°) and 0 (10°).
        var image = new float[16 * 16];
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = i % 16;
        }

        var output = Compute(image, 1, Parameters(HogBlockNormalization.None) with { Voting = HogVoting.Trilinear });

        for (int cell = 0; cell < 4; cell++)
        {
            output[cell * 9].Should().BeApproximately(output[(cell * 9) + 8], 1e-3f, "0° is halfway between the two bins");
            output.Skip((cell * 9) + 1).Take(7).Should().OnlyContain(v => v == 0);
        }

        output[0].Should().BeGreaterThan(0);
    }

    internal static HogParameters Parameters(HogBlockNormalization norm)
        => new(9, 8, 8, 2, 2, 1, norm, SignedGradients: false, SqrtCompression: false, HogVoting.Hard, HogColorMode.MaxGradientChannel);

    internal static float[] Compute(float[] planes, int channels, HogParameters parameters, int? height = null, int? width = null)
    {
        int side = (int)Math.Sqrt(planes.Length / channels);
        var descriptor = new HogDescriptor(parameters, parameters.GeometryFor(height ?? side, width ?? side, "test"), channels);
        var output = new float[descriptor.Length];
        descriptor.Compute(planes, output, descriptor.CreateScratch());
        return output;
    }

    private static float[] Edge(int height, int width, bool vertical, float from, float to)
    {
        var image = new float[height * width];
        for (int r = 0; r < height; r++)
        {
            for (int c = 0; c < width; c++)
            {
                image[(r * width) + c] = (vertical ? c >= width / 2 : r >= height / 2) ? to : from;
            }
        }

        return image;
    }
}
