using MLNet.KnnLinear.Imaging;

namespace MLNet.KnnLinear.Tests.Kernels;

/// <summary>
/// Hard voting's per-pixel bin and magnitude (<see cref="HogHardBins"/>): the Vector256, Vector128 and dispatched
/// paths equal the scalar twin bit for bit across the vector widths' boundaries, and every bin the fast angle decides
/// is the bin scikit-image's own double atan2 gives (<see cref="HogHardVoting.Bin"/>, pinned to scikit-image by the
/// reference tests), for every integer gradient a byte image can have and for fractional ones.
/// </summary>
public sealed class HogHardBinsTests
{
    public static IEnumerable<object[]> Settings()
        => new[] { (9, false), (9, true), (8, false), (8, true), (12, false), (4, true), (1, false), (7, true) }
            .Select(s => new object[] { s.Item1, s.Item2 });

    [Theory]
    [MemberData(nameof(Settings))]
    public void EveryPath_EqualsTheScalarTwin_AcrossVectorBoundaries(int orientations, bool signed)
    {
        var (bins, _) = Create(orientations, signed);
        var random = new Random(orientations * 2 + (signed ? 1 : 0));
        for (int length = 0; length <= 41; length++)
        {
            var gx = new float[length];
            var gy = new float[length];
            for (int i = 0; i < length; i++)
            {
                // A mix of whole-number gradients (byte images: many ties, axes and zeros), fractional ones (√ pixels,
                // Single images) and exact diagonals (on a boundary for 8 orientations).
                (gx[i], gy[i]) = (i % 4) switch
                {
                    0 => (random.Next(-3, 4), random.Next(-3, 4)),
                    1 => ((float)((random.NextDouble() * 510) - 255), (float)((random.NextDouble() * 510) - 255)),
                    2 => (random.Next(-255, 256), random.Next(-255, 256)),
                    _ => (5 * random.Next(-1, 2), 5 * random.Next(-1, 2)),
                };
            }

            var expected = Classified((x, y, b, m) => bins.ClassifyScalar(x, y, b, m), gx, gy);
            foreach (var (name, path) in new (string, Action<float[], float[], int[], float[]>)[]
            {
                ("vector256", (x, y, b, m) => bins.ClassifyVector256(x, y, b, m)),
                ("vector128", (x, y, b, m) => bins.ClassifyVector128(x, y, b, m)),
                ($"dispatched ({HogHardBins.Path})", (x, y, b, m) => bins.Classify(x, y, b, m)),
            })
            {
                var actual = Classified(path, gx, gy);
                actual.Bins.Should().Equal(expected.Bins, $"{name}, length {length}");
                actual.Magnitudes.Select(BitConverter.SingleToInt32Bits).Should().Equal(expected.Magnitudes.Select(BitConverter.SingleToInt32Bits), $"{name}, length {length}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void EveryDecidedBin_IsScikitImagesBin_ForEveryIntegerGradient(int orientations, bool signed)
    {
        var (bins, voting) = Create(orientations, signed);
        const int Side = 511;
        var gx = new float[Side * Side];
        var gy = new float[Side * Side];
        for (int i = 0; i < gx.Length; i++)
        {
            (gx[i], gy[i]) = ((i % Side) - 255, (i / Side) - 255);
        }

        var (decided, uncertain) = CheckAgainstExact(bins, voting, gx, gy, orientations);
        decided.Should().BeGreaterThan(gx.Length * 9 / 10, "the fast angle must decide nearly every pixel, or it saves nothing");
        if ((signed ? 360 : 180) % (90 * orientations) != 0)
        {
            uncertain.Should().BeGreaterThan(0, "some integer gradients sit on or near a boundary off the axes, and those must go to the exact path");
        }
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void EveryDecidedBin_IsScikitImagesBin_ForFractionalGradients(int orientations, bool signed)
    {
        var (bins, voting) = Create(orientations, signed);
        var random = new Random(7);
        var gx = new float[400_000];
        var gy = new float[gx.Length];
        for (int i = 0; i < gx.Length; i++)
        {
            double scale = Math.Pow(10, random.Next(-6, 10));
            (gx[i], gy[i]) = ((float)((random.NextDouble() - 0.5) * scale), (float)((random.NextDouble() - 0.5) * scale));
        }

        CheckAgainstExact(bins, voting, gx, gy, orientations).Decided.Should().BeGreaterThan(gx.Length * 9 / 10);
    }

    [Fact]
    public void AZeroGradient_AddsPlusZeroToBinZero_AndAxesTakeAtan2sOwnAngles()
    {
        var (bins, voting) = Create(9, false);
        var result = Classified((x, y, b, m) => bins.Classify(x, y, b, m), [0f, -0f, 3f, -3f, 0f, 0f], [0f, 0f, 0f, 0f, 4f, -4f]);
        result.Bins.Should().Equal(0, 0, voting.Bin(0, 9), voting.Bin(180, 9), voting.Bin(90, 9), voting.Bin(-90, 9));
        result.Bins[3].Should().Be(0, "atan2(0, −3) = 180°, which is 0° in the unsigned period");
        result.Magnitudes.Should().Equal(0f, 0f, 3f, 3f, 4f, 4f);
        BitConverter.SingleToInt32Bits(result.Magnitudes[1]).Should().Be(0, "+0, so adding it leaves every sum as it was");
    }

    private static (int Decided, int Uncertain) CheckAgainstExact(HogHardBins bins, HogHardVoting voting, float[] gx, float[] gy, int orientations)
    {
        var result = Classified((x, y, b, m) => bins.Classify(x, y, b, m), gx, gy);
        int decided = 0;
        int uncertain = 0;
        for (int i = 0; i < gx.Length; i++)
        {
            double x = gx[i];
            double y = gy[i];
            ((float)Math.Sqrt((x * x) + (y * y))).Should().Be(result.Magnitudes[i]);
            if (result.Bins[i] == HogHardBins.Uncertain)
            {
                uncertain++;
                continue;
            }

            if (x == 0 && y == 0)
            {
                result.Bins[i].Should().Be(0);
                continue;
            }

            int exact = voting.Bin(Math.Atan2(y, x) * (180.0 / Math.PI), orientations);
            if (result.Bins[i] != exact)
            {
                throw new Xunit.Sdk.XunitException($"gradient ({gx[i]}, {gy[i]}): fast bin {result.Bins[i]}, scikit-image's {exact}");
            }

            decided++;
        }

        return (decided, uncertain);
    }

    private static (HogHardBins Bins, HogHardVoting Voting) Create(int orientations, bool signed)
    {
        var parameters = new HogFeaturesEstimator.Options { InputColumnName = "Pixels", OutputColumnName = "Hog", ImageHeight = 16, ImageWidth = 16, Orientations = orientations, SignedGradients = signed, Voting = HogVoting.Hard }.ToParameters();
        var voting = new HogHardVoting(parameters, parameters.GeometryFor(16, 16, "Pixels"));
        return (new HogHardBins(orientations, signed, degrees => voting.Bin(degrees, orientations)), voting);
    }

    private static (int[] Bins, float[] Magnitudes) Classified(Action<float[], float[], int[], float[]> classify, float[] gx, float[] gy)
    {
        var bins = new int[gx.Length];
        var magnitudes = new float[gx.Length];
        classify(gx, gy, bins, magnitudes);
        return (bins, magnitudes);
    }
}
