using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Imaging;

/// <summary>
/// HoG's trilinear (OpenCV) voting as ONNX: <see cref="FastAtan"/>'s angle in the same float operations, each
/// pixel's magnitude split between its two nearest bins, then one Conv whose kernels are the block's spatial weights
/// (<see cref="HogTrilinearVoting.CellKernels"/>: bilinear between the four nearest cells, Gaussian window), strided
/// by the block stride: every block's histograms at once.
/// </summary>
/// <remarks>
/// FastAtan's polynomial uses fused multiply-adds, which ONNX (to opset 12) lacks; each is computed in double (the
/// product of two floats is exact there) and rounded to float, which equals the fused result except when the double
/// sum lands exactly halfway between two floats. The Conv sums a block's votes in another order than the featurizer.
/// </remarks>
internal sealed class HogTrilinearOnnx(HogParameters parameters, HogGeometry geometry)
{
    /// <summary>Blocks [batch, blocks, block length] (not yet normalized) from the chosen gradients [batch, 1, H, W].</summary>
    public string Blocks(OnnxGraph g, string gx, string gy)
    {
        var voting = new HogTrilinearVoting(parameters, geometry);
        int orientations = parameters.Orientations;
        var (low, high, share, magnitude) = Orientations(g, gx, gy);

        string range = g.Longs(Enumerable.Range(0, orientations).Select(o => (long)o), 1, orientations, 1, 1);
        string Split(string bin, string weight) => g.Mul(g.Cast(g.Equal(bin, range), typeof(float)), weight);
        string votes = g.Add(
            Split(low, g.Mul(magnitude, g.Sub(g.Float(1), share))),
            Split(high, g.Mul(magnitude, share)));

        // Only the pixels some block covers, each orientation as its own image for the Conv.
        int strideDown = voting.StrideDown;
        int strideAcross = parameters.BlockStride * parameters.CellWidth;
        int blockDown = voting.BlockPixelsDown;
        int blockAcross = parameters.BlockWidth * parameters.CellWidth;
        int rows = ((geometry.BlocksDown - 1) * strideDown) + blockDown;
        int columns = ((geometry.BlocksAcross - 1) * strideAcross) + blockAcross;
        string planes = g.Reshape(g.Slice(votes, [0, 0], [rows, columns], [2, 3]), -1, 1, rows, columns);

        int cells = parameters.BlockHeight * parameters.BlockWidth;
        string kernels = g.Floats(voting.CellKernels(), cells, 1, blockDown, blockAcross);
        string perCell = g.Conv(planes, kernels, strideDown, strideAcross);

        // [batch · orientations, cells, blocks down, across] → [batch, blocks, cells · orientations].
        string split = g.Reshape(perCell, -1, orientations, cells, geometry.BlocksDown, geometry.BlocksAcross);
        return g.Reshape(g.Transpose(split, 0, 3, 4, 2, 1), -1, (long)geometry.BlocksDown * geometry.BlocksAcross, parameters.BlockLength);
    }

    /// <summary>As HogTrilinearVoting.Orientations: the lower and upper bin (int64), the upper bin's share and the magnitude (float).</summary>
    private (string Low, string High, string Share, string Magnitude) Orientations(OnnxGraph g, string x, string y)
    {
        int orientations = parameters.Orientations;
        string magnitude = g.Sqrt(g.Add(g.Mul(x, x), g.Mul(y, y)));
        float degreesToRadians = (float)(Math.PI / 180);
        float binsPerRadian = (float)(orientations / (parameters.SignedGradients ? 2 * Math.PI : Math.PI));
        string position = g.Sub(g.Mul(g.Mul(Degrees(g, x, y), g.Float(degreesToRadians)), g.Float(binsPerRadian)), g.Float(0.5f));
        string floor = g.Floor(position);
        string share = g.Sub(position, floor);

        // position ∈ [−0.5, 2 · orientations − 0.5): the floor folds into [0, orientations) by one turn at most.
        string n = g.Long(orientations);
        string low = g.Cast(floor, typeof(long));
        low = g.Where(g.Less(low, g.Long(0)), g.Add(low, n), g.Where(g.Less(low, n), low, g.Sub(low, n)));
        string next = g.Add(low, g.Long(1));
        string high = g.Where(g.Equal(next, n), g.Long(0), next);
        return (low, high, share, magnitude);
    }

    /// <summary>FastAtan.Degrees(y, x): OpenCV's fastAtan32f in [0°, 360°).</summary>
    private static string Degrees(OnnxGraph g, string x, string y)
    {
        string zero = g.Float(0);
        string ax = g.Abs(x);
        string ay = g.Abs(y);
        string c = g.Div(g.Min(ax, ay), g.Add(g.Max(ax, ay), g.Float(FastAtan.Epsilon)));
        string cc = g.Cast(g.Mul(c, c), typeof(double));

        // fma(a, cc, b) as float: the double product of two floats is exact, the sum rounds once in double, then to float.
        string Fma(string a, float b) => g.Cast(g.Add(g.Mul(g.Cast(a, typeof(double)), cc), g.Double(b)), typeof(float));
        string a = g.Mul(Fma(Fma(Fma(g.Float(FastAtan.P7), FastAtan.P5), FastAtan.P3), FastAtan.P1), c);
        a = g.Where(g.Less(ax, ay), g.Sub(g.Float(90), a), a);
        a = g.Where(g.Less(x, zero), g.Sub(g.Float(180), a), a);
        return g.Where(g.Less(y, zero), g.Sub(g.Float(360), a), a);
    }
}
