using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Imaging;

/// <summary>
/// HoG as ONNX, step for step as <see cref="HogDescriptor"/>: planes (grey and square root as
/// configured), central differences (Slice, Sub, zero Pad at the borders), the strongest channel per pixel (ArgMax,
/// first on ties), magnitude in double, the orientation bin, cell sums, blocks gathered by strided Slice and each
/// block normalized. Trilinear voting (<see cref="HogTrilinearOnnx"/>) replaces the bin and cell steps.
/// </summary>
/// <remarks>
/// The bin is decided without an angle: after folding the gradient into the upper half-plane, it lies at or past
/// boundary ψ exactly when y cos ψ − x sin ψ ≥ 0, computed in double. That is the same decision as the featurizer's
/// (which takes atan2 in double and resolves angles near a boundary exactly), and the same for whole-number
/// gradients, whose distance from an irrational boundary is far above double rounding.
/// </remarks>
internal sealed class HogOnnxExport(HogParameters parameters) : ImageOnnxExport("ExtractHogFeatures")
{
    public override string Export(OnnxGraph g, ImageColumn input, string pixels)
    {
        var geometry = parameters.GeometryFor(input.Height, input.Width, input.Column.Name);
        string planes = Planes(g, input, pixels, typeof(float));
        int channels = input.Channels;
        if (channels == 3 && parameters.ColorMode == HogColorMode.Grayscale)
        {
            // As HogGradients: (R·wr + G·wg) + B·wb, each product and sum rounded to float.
            string Channel(int c, float weight) => g.Mul(g.Slice(planes, [c], [c + 1], [1]), g.Float(weight));
            planes = g.Add(g.Add(Channel(0, HogGradients.RedWeight), Channel(1, HogGradients.GreenWeight)), Channel(2, HogGradients.BlueWeight));
            channels = 1;
        }

        if (parameters.SqrtCompression)
        {
            planes = g.Sqrt(planes);
        }

        string gx = Difference(g, planes, axis: 3, input.Width);
        string gy = Difference(g, planes, axis: 2, input.Height);
        bool trilinear = parameters.Voting == HogVoting.Trilinear;
        if (channels > 1)
        {
            // The strongest channel per pixel; on ties the first (hard) or the last (trilinear, as OpenCV): ArgMax
            // keeps the first, so for the last it runs over the channels reversed.
            if (trilinear)
            {
                gx = Reversed(g, gx, channels);
                gy = Reversed(g, gy, channels);
            }

            string strongest = g.ArgMax(g.Add(g.Mul(gx, gx), g.Mul(gy, gy)), axis: 1);
            gx = g.GatherElements(gx, strongest, axis: 1);
            gy = g.GatherElements(gy, strongest, axis: 1);
        }

        if (trilinear)
        {
            string trilinearBlocks = new HogTrilinearOnnx(parameters, geometry).Blocks(g, gx, gy);
            return g.Reshape(Normalize(g, trilinearBlocks), -1, (long)geometry.BlocksDown * geometry.BlocksAcross * parameters.BlockLength);
        }

        // Only pixels in whole cells vote.
        int rows = geometry.CellsDown * parameters.CellHeight;
        int columns = geometry.CellsAcross * parameters.CellWidth;
        string x = g.Cast(g.Slice(gx, [0, 0], [rows, columns], [2, 3]), typeof(double));
        string y = g.Cast(g.Slice(gy, [0, 0], [rows, columns], [2, 3]), typeof(double));
        string magnitude = g.Cast(g.Sqrt(g.Add(g.Mul(x, x), g.Mul(y, y))), typeof(float));
        string bin = Bin(g, x, y);

        int orientations = parameters.Orientations;
        string votes = g.Mul(g.Cast(g.Equal(bin, g.Longs(Enumerable.Range(0, orientations).Select(o => (long)o), 1, orientations, 1, 1)), typeof(float)), magnitude);
        string cells = g.ReduceSum(g.Reshape(votes, -1, orientations, geometry.CellsDown, parameters.CellHeight, geometry.CellsAcross, parameters.CellWidth), [3, 5], keepDims: false);
        cells = g.Mul(cells, g.Float(1f / (parameters.CellHeight * parameters.CellWidth)));
        string blocks = Normalize(g, Blocks(g, g.Transpose(cells, 0, 2, 3, 1), geometry));
        return g.Reshape(blocks, -1, (long)geometry.BlocksDown * geometry.BlocksAcross * parameters.BlockLength);
    }

    private static string Reversed(OnnxGraph g, string x, int channels) => g.Slice(x, [channels - 1], [-channels - 1], [1], [-1]);

    /// <summary>next − previous along <paramref name="axis"/>, 0 in the first and last position (as HogGradients).</summary>
    private static string Difference(OnnxGraph g, string planes, long axis, int length)
    {
        if (length <= 2)
        {
            return g.Sub(planes, planes);
        }

        string inner = g.Sub(g.Slice(planes, [2], [length], [axis]), g.Slice(planes, [0], [length - 2], [axis]));
        var pads = new long[8];
        pads[axis] = 1;
        pads[4 + axis] = 1;
        return g.Pad(inner, pads);
    }

    /// <summary>The orientation bin of each gradient (int64), by sign tests against the bin boundaries.</summary>
    private string Bin(OnnxGraph g, string x, string y)
    {
        // Fold into [0°, 180°): the lower half-plane and the negative x axis turn by 180°.
        string zero = g.Double(0);
        string lower = g.Or(g.Less(y, zero), g.And(g.Equal(y, zero), g.Less(x, zero)));
        string fx = g.Where(lower, g.Neg(x), x);
        string fy = g.Where(lower, g.Neg(y), y);

        // Boundaries i · width in (0°, 360°): those below 180° are passed by unfolded angles at or past them;
        // those at or past 180° (tested 180° lower) are passed by folded ones.
        double width = parameters.BinWidthDegrees;
        var low = new List<double>();
        var high = new List<double>();
        for (int i = 1; i < parameters.Orientations; i++)
        {
            double boundary = width * i;
            (boundary < 180.0 ? low : high).Add(boundary < 180.0 ? boundary : boundary - 180.0);
        }

        string passedLow = Passed(g, fx, fy, low);
        if (!parameters.SignedGradients)
        {
            return passedLow;
        }

        string passedHigh = Passed(g, fx, fy, high);
        return g.Where(lower, g.Add(passedHigh, g.Long(low.Count)), passedLow);
    }

    /// <summary>How many of the boundaries (degrees in [0, 180)) the folded angle is at or past, int64 [batch, 1, h, w].</summary>
    private static string Passed(OnnxGraph g, string fx, string fy, List<double> boundaries)
    {
        long always = boundaries.Count(b => b == 0);
        var tested = boundaries.Where(b => b != 0).ToArray();
        if (tested.Length == 0)
        {
            return g.Add(g.Cast(g.Sub(fx, fx), typeof(long)), g.Long(always));
        }

        string cos = g.Doubles(tested.Select(b => Math.Cos(b * Math.PI / 180.0)), 1, tested.Length, 1, 1);
        string sin = g.Doubles(tested.Select(b => Math.Sin(b * Math.PI / 180.0)), 1, tested.Length, 1, 1);
        string side = g.Sub(g.Mul(fy, cos), g.Mul(fx, sin));
        string passed = g.ReduceSum(g.Cast(g.NotLess(side, g.Double(0)), typeof(long)), [1], keepDims: true);
        return always == 0 ? passed : g.Add(passed, g.Long(always));
    }

    /// <summary>Blocks [batch, blocks, block length] from cells [batch, cells down, cells across, orientations], in HogDescriptor's order.</summary>
    private string Blocks(OnnxGraph g, string cells, HogGeometry geometry)
    {
        int stride = parameters.BlockStride;
        var parts = new List<string>();
        for (int i = 0; i < parameters.BlockHeight; i++)
        {
            for (int j = 0; j < parameters.BlockWidth; j++)
            {
                long[] starts = [i, j];
                long[] ends = [i + ((long)stride * (geometry.BlocksDown - 1)) + 1, j + ((long)stride * (geometry.BlocksAcross - 1)) + 1];
                parts.Add(g.Unsqueeze(g.Slice(cells, starts, ends, [1, 2], [stride, stride]), 3));
            }
        }

        string gathered = parts.Count == 1 ? parts[0] : g.Concat(3, [.. parts]);
        return g.Reshape(gathered, -1, (long)geometry.BlocksDown * geometry.BlocksAcross, parameters.BlockLength);
    }

    /// <summary>As HogBlockNormalizer: norms summed in double, each block scaled by a factor rounded to float.</summary>
    private string Normalize(OnnxGraph g, string blocks)
    {
        const double Epsilon = 1e-5;
        string Scale(string block, Func<string, string> factor)
            => g.Mul(block, g.Cast(g.Div(g.Double(1), factor(g.Cast(block, typeof(double)))), typeof(float)));
        string L1(string values) => g.Add(g.ReduceSum(values, [2], keepDims: true), g.Double(Epsilon));
        string L2(string values) => g.Sqrt(g.Add(g.ReduceSumSquare(values, [2], keepDims: true), g.Double(Epsilon * Epsilon)));

        switch (parameters.Normalization)
        {
            case HogBlockNormalization.L1:
                return Scale(blocks, L1);
            case HogBlockNormalization.L1Sqrt:
                return g.Sqrt(Scale(blocks, L1));
            case HogBlockNormalization.L2:
                return Scale(blocks, L2);
            case HogBlockNormalization.L2Hys when parameters.Voting == HogVoting.Trilinear:
                // OpenCV's: 1 / (‖v‖ + 0.1 · length), clip, 1 / (‖v‖ + 1e-3).
                double length = parameters.BlockLength;
                string Norm(string values, double plus) => g.Add(g.Sqrt(g.ReduceSumSquare(values, [2], keepDims: true)), g.Double(plus));
                return Scale(g.Min(Scale(blocks, v => Norm(v, 0.1 * length)), g.Float(0.2f)), v => Norm(v, 1e-3));
            case HogBlockNormalization.L2Hys:
                return Scale(g.Min(Scale(blocks, L2), g.Float(0.2f)), L2);
            default:
                return blocks;
        }
    }
}
