using MLNet.KnnLinear.Imaging;

namespace MLNet.KnnLinear.Tests.Imaging;

/// <summary>
/// Hard voting bins angles from OpenCV's fast atan2 and falls back to scikit-image's exact double computation near
/// bin boundaries; its scalar twin here bins every pixel the exact way. They must agree bit for bit on images full of
/// boundary cases (|gx| = |gy|, axis-aligned gradients) and on noise, for several orientation counts.
/// </summary>
public sealed class HogHardVotingTwinTests
{
    [Theory]
    [InlineData(8, false, 1)]
    [InlineData(9, false, 2)]
    [InlineData(12, false, 3)]
    [InlineData(4, false, 4)]
    [InlineData(18, true, 5)]
    [InlineData(7, true, 6)]
    public void Vote_EqualsExactScalarTwin(int orientations, bool signed, int seed)
    {
        const int size = 24;
        var parameters = HogKnownAnswerTests.Parameters(HogBlockNormalization.None) with { Orientations = orientations, SignedGradients = signed, CellHeight = 6, CellWidth = 4 };
        var geometry = parameters.GeometryFor(size, size, "test");
        var voting = new HogHardVoting(parameters, geometry);
        var random = new Random(seed);
        for (int image = 0; image < 20; image++)
        {
            // Small integer gradients make exact diagonals and axis directions common; the last images are plain noise.
            int range = image < 15 ? 3 : 200;
            var gx = Enumerable.Range(0, size * size).Select(_ => (float)random.Next(-range, range + 1)).ToArray();
            var gy = Enumerable.Range(0, size * size).Select(i => image % 3 == 0 ? gx[i] * (random.Next(2) * 2 - 1) : random.Next(-range, range + 1)).ToArray();
            var fast = new float[voting.CellHistogramLength];

            voting.Accumulate(gx, gy, 0, size, fast, new float[2 * size * size]);
            voting.Finish(fast);

            fast.Should().Equal(ExactTwin(gx, gy, parameters, geometry), $"image {image}");
        }
    }

    /// <summary>scikit-image's loop: degrees = atan2(gy, gx) · 180 / π, floored remainder, half-open bins, cell sums / area.</summary>
    private static float[] ExactTwin(float[] gx, float[] gy, HogParameters p, HogGeometry g)
    {
        double period = p.SignedGradients ? 360 : 180;
        double width = period / p.Orientations;
        var cells = new float[g.CellsDown * g.CellsAcross * p.Orientations];
        for (int r = 0; r < g.CellsDown * p.CellHeight; r++)
        {
            for (int c = 0; c < g.CellsAcross * p.CellWidth; c++)
            {
                double x = gx[(r * g.Width) + c];
                double y = gy[(r * g.Width) + c];
                if (x == 0 && y == 0)
                {
                    continue;
                }

                double angle = Math.Atan2(y, x) * (180.0 / Math.PI) % period;
                angle = angle < 0 ? angle + period : angle;
                for (int bin = 0; bin < p.Orientations; bin++)
                {
                    if (angle >= width * bin && angle < width * (bin + 1))
                    {
                        cells[((((r / p.CellHeight) * g.CellsAcross) + (c / p.CellWidth)) * p.Orientations) + bin] += (float)Math.Sqrt((x * x) + (y * y));
                    }
                }
            }
        }

        for (int i = 0; i < cells.Length; i++)
        {
            cells[i] *= 1f / (p.CellHeight * p.CellWidth);
        }

        return cells;
    }
}
