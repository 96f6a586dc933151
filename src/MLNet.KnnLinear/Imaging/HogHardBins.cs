using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNet.KnnLinear.Imaging;

/// <summary>
/// The per-pixel half of hard voting, eight (or four) pixels at a time: the orientation bin from OpenCV's fast atan2
/// polynomial where the angle is clearly inside a bin, and the gradient magnitude exactly as scikit-image computes it
/// (√(x² + y²) in double, rounded to float). A pixel within <see cref="BoundaryMarginDegrees"/> of a bin boundary gets
/// <see cref="Uncertain"/>, and <see cref="HogHardVoting"/> decides it with scikit-image's own double atan2, so the
/// bins are scikit-image's. Branch-free: on noise and photos alike the angle's octant is unpredictable, and the
/// per-pixel branches of the scalar decision were most of hard voting's time. Axis-aligned gradients (x or y zero,
/// common in photos and flat regions) take the bins of atan2's own 0°, ±90° and 180°, worked out once. A zero
/// gradient gets bin 0 and magnitude +0, which adds nothing to a histogram.
/// <para>
/// The Vector256 and Vector128 paths and the scalar twin do the same float operations in the same order (no fused
/// multiply-add: the decision does not need one, and it is not hardware on every Vector128 machine), so all three
/// give bit-identical bins and magnitudes. One shortcut: where x² + y² (in double) is a float already, as it is for
/// every whole-number gradient below 2^12, the vector paths take the float square root, several times cheaper than
/// the double one. It is the same value: rounding √s first to double and then to float equals rounding it to float
/// once, because double carries more than 2 · 24 + 2 bits (Figueroa, "When is double rounding innocuous?", 1995).
/// </para>
/// </summary>
internal sealed class HogHardBins
{
    /// <summary>The bin of a pixel whose fast angle is too close to a boundary to trust.</summary>
    public const int Uncertain = int.MinValue;

    /// <summary>Degrees from a boundary within which the fast angle (error below 0.01°) does not decide the bin.</summary>
    public const float BoundaryMarginDegrees = 0.05f;

    private const float Epsilon = FastAtan.Epsilon;

    private readonly int _orientations;
    private readonly bool _signed;
    private readonly float _binsPerDegree;
    private readonly float _binWidth;
    private readonly int _right;
    private readonly int _left;
    private readonly int _down;
    private readonly int _up;

    /// <param name="orientations">Bins over the period.</param>
    /// <param name="signed">Period 360° (true) or 180°.</param>
    /// <param name="exactBin">scikit-image's bin of an angle in degrees as atan2 gives it, or −1 when it drops the pixel.</param>
    public HogHardBins(int orientations, bool signed, Func<double, int> exactBin)
    {
        _orientations = orientations;
        _signed = signed;
        double width = (signed ? 360.0 : 180.0) / orientations;
        _binWidth = (float)width;
        _binsPerDegree = (float)(1.0 / width);
        int Axis(double y, double x)
        {
            int bin = exactBin(Math.Atan2(y, x) * (180.0 / Math.PI));
            return bin >= 0 ? bin : Uncertain;
        }

        (_right, _left, _down, _up) = (Axis(0, 1), Axis(0, -1), Axis(1, 0), Axis(-1, 0));
    }

    /// <summary>The path <see cref="Classify"/> takes here: "vector256", "vector128" or "scalar".</summary>
    public static string Path => Vector256.IsHardwareAccelerated ? "vector256" : Vector128.IsHardwareAccelerated ? "vector128" : "scalar";

    /// <summary>
    /// Bins and magnitudes of pixels with gradients (<paramref name="gx"/>[i], <paramref name="gy"/>[i]).
    /// </summary>
    public void Classify(ReadOnlySpan<float> gx, ReadOnlySpan<float> gy, Span<int> bins, Span<float> magnitudes)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            ClassifyVector256(gx, gy, bins, magnitudes);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            ClassifyVector128(gx, gy, bins, magnitudes);
        }
        else
        {
            ClassifyScalar(gx, gy, bins, magnitudes);
        }
    }

    /// <summary>The reference twin, one pixel at a time.</summary>
    public void ClassifyScalar(ReadOnlySpan<float> gx, ReadOnlySpan<float> gy, Span<int> bins, Span<float> magnitudes)
    {
        for (int i = 0; i < gx.Length; i++)
        {
            float x = gx[i];
            float y = gy[i];
            double xd = x;
            double yd = y;
            magnitudes[i] = (float)Math.Sqrt((xd * xd) + (yd * yd));
            float ax = Math.Abs(x);
            float ay = Math.Abs(y);
            bool xSmaller = ax < ay;
            float c = (xSmaller ? ax : ay) / ((xSmaller ? ay : ax) + Epsilon);
            float cc = c * c;
            float a = ((((((FastAtan.P7 * cc) + FastAtan.P5) * cc) + FastAtan.P3) * cc) + FastAtan.P1) * c;
            a = xSmaller ? 90f - a : a;
            a = x < 0 ? 180f - a : a;
            a = y < 0 ? 360f - a : a;
            a = !_signed && a >= 180f ? a - 180f : a;
            float position = a * _binsPerDegree;
            int whole = (int)position;
            float fraction = position - whole;
            float oneMinus = 1f - fraction;
            float fromBoundary = (fraction < oneMinus ? fraction : oneMinus) * _binWidth;
            int bin = fromBoundary > BoundaryMarginDegrees && whole < _orientations ? whole : Uncertain;
            bin = x == 0 ? (y > 0 ? _down : _up) : bin;
            bin = y == 0 ? (x > 0 ? _right : _left) : bin;
            bins[i] = x == 0 && y == 0 ? 0 : bin;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ClassifyVector256(ReadOnlySpan<float> gx, ReadOnlySpan<float> gy, Span<int> bins, Span<float> magnitudes)
    {
        int n = gx.Length;
        int whole = n - (n % Vector256<float>.Count);
        var zero = Vector256<float>.Zero;
        for (int i = 0; i < whole; i += Vector256<float>.Count)
        {
            var x = Vector256.Create(gx.Slice(i, Vector256<float>.Count));
            var y = Vector256.Create(gy.Slice(i, Vector256<float>.Count));
            var (xLow, xHigh) = Vector256.Widen(x);
            var (yLow, yHigh) = Vector256.Widen(y);
            var sumLow = (xLow * xLow) + (yLow * yLow);
            var sumHigh = (xHigh * xHigh) + (yHigh * yHigh);
            var sum = Vector256.Narrow(sumLow, sumHigh);
            var (backLow, backHigh) = Vector256.Widen(sum);
            var magnitude = Vector256.EqualsAll(backLow, sumLow) && Vector256.EqualsAll(backHigh, sumHigh)
                ? Vector256.Sqrt(sum) // exact sums (every whole-number gradient of a byte image): the float root is the double root rounded
                : Vector256.Narrow(Vector256.Sqrt(sumLow), Vector256.Sqrt(sumHigh));
            magnitude.CopyTo(magnitudes.Slice(i, Vector256<float>.Count));

            var ax = Vector256.Abs(x);
            var ay = Vector256.Abs(y);
            var xSmaller = Vector256.LessThan(ax, ay);
            var c = Vector256.ConditionalSelect(xSmaller, ax, ay) / (Vector256.ConditionalSelect(xSmaller, ay, ax) + Vector256.Create(Epsilon));
            var cc = c * c;
            var a = ((((((Vector256.Create(FastAtan.P7) * cc) + Vector256.Create(FastAtan.P5)) * cc) + Vector256.Create(FastAtan.P3)) * cc) + Vector256.Create(FastAtan.P1)) * c;
            a = Vector256.ConditionalSelect(xSmaller, Vector256.Create(90f) - a, a);
            a = Vector256.ConditionalSelect(Vector256.LessThan(x, zero), Vector256.Create(180f) - a, a);
            a = Vector256.ConditionalSelect(Vector256.LessThan(y, zero), Vector256.Create(360f) - a, a);
            if (!_signed)
            {
                a = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(a, Vector256.Create(180f)), a - Vector256.Create(180f), a);
            }

            var position = a * Vector256.Create(_binsPerDegree);
            var truncated = Vector256.ConvertToInt32(position);
            var fraction = position - Vector256.ConvertToSingle(truncated);
            var oneMinus = Vector256<float>.One - fraction;
            var fromBoundary = Vector256.ConditionalSelect(Vector256.LessThan(fraction, oneMinus), fraction, oneMinus) * Vector256.Create(_binWidth);
            var certain = Vector256.GreaterThan(fromBoundary, Vector256.Create(BoundaryMarginDegrees)).AsInt32() & Vector256.LessThan(truncated, Vector256.Create(_orientations));
            var bin = Vector256.ConditionalSelect(certain, truncated, Vector256.Create(Uncertain));
            var xZero = Vector256.Equals(x, zero).AsInt32();
            var yZero = Vector256.Equals(y, zero).AsInt32();
            bin = Vector256.ConditionalSelect(xZero, Vector256.ConditionalSelect(Vector256.GreaterThan(y, zero).AsInt32(), Vector256.Create(_down), Vector256.Create(_up)), bin);
            bin = Vector256.ConditionalSelect(yZero, Vector256.ConditionalSelect(Vector256.GreaterThan(x, zero).AsInt32(), Vector256.Create(_right), Vector256.Create(_left)), bin);
            bin = Vector256.AndNot(bin, xZero & yZero);
            bin.CopyTo(bins.Slice(i, Vector256<int>.Count));
        }

        ClassifyScalar(gx[whole..], gy[whole..], bins[whole..], magnitudes[whole..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ClassifyVector128(ReadOnlySpan<float> gx, ReadOnlySpan<float> gy, Span<int> bins, Span<float> magnitudes)
    {
        int n = gx.Length;
        int whole = n - (n % Vector128<float>.Count);
        var zero = Vector128<float>.Zero;
        for (int i = 0; i < whole; i += Vector128<float>.Count)
        {
            var x = Vector128.Create(gx.Slice(i, Vector128<float>.Count));
            var y = Vector128.Create(gy.Slice(i, Vector128<float>.Count));
            var (xLow, xHigh) = Vector128.Widen(x);
            var (yLow, yHigh) = Vector128.Widen(y);
            var sumLow = (xLow * xLow) + (yLow * yLow);
            var sumHigh = (xHigh * xHigh) + (yHigh * yHigh);
            var sum = Vector128.Narrow(sumLow, sumHigh);
            var (backLow, backHigh) = Vector128.Widen(sum);
            var magnitude = Vector128.EqualsAll(backLow, sumLow) && Vector128.EqualsAll(backHigh, sumHigh)
                ? Vector128.Sqrt(sum) // exact sums (every whole-number gradient of a byte image): the float root is the double root rounded
                : Vector128.Narrow(Vector128.Sqrt(sumLow), Vector128.Sqrt(sumHigh));
            magnitude.CopyTo(magnitudes.Slice(i, Vector128<float>.Count));

            var ax = Vector128.Abs(x);
            var ay = Vector128.Abs(y);
            var xSmaller = Vector128.LessThan(ax, ay);
            var c = Vector128.ConditionalSelect(xSmaller, ax, ay) / (Vector128.ConditionalSelect(xSmaller, ay, ax) + Vector128.Create(Epsilon));
            var cc = c * c;
            var a = ((((((Vector128.Create(FastAtan.P7) * cc) + Vector128.Create(FastAtan.P5)) * cc) + Vector128.Create(FastAtan.P3)) * cc) + Vector128.Create(FastAtan.P1)) * c;
            a = Vector128.ConditionalSelect(xSmaller, Vector128.Create(90f) - a, a);
            a = Vector128.ConditionalSelect(Vector128.LessThan(x, zero), Vector128.Create(180f) - a, a);
            a = Vector128.ConditionalSelect(Vector128.LessThan(y, zero), Vector128.Create(360f) - a, a);
            if (!_signed)
            {
                a = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(a, Vector128.Create(180f)), a - Vector128.Create(180f), a);
            }

            var position = a * Vector128.Create(_binsPerDegree);
            var truncated = Vector128.ConvertToInt32(position);
            var fraction = position - Vector128.ConvertToSingle(truncated);
            var oneMinus = Vector128<float>.One - fraction;
            var fromBoundary = Vector128.ConditionalSelect(Vector128.LessThan(fraction, oneMinus), fraction, oneMinus) * Vector128.Create(_binWidth);
            var certain = Vector128.GreaterThan(fromBoundary, Vector128.Create(BoundaryMarginDegrees)).AsInt32() & Vector128.LessThan(truncated, Vector128.Create(_orientations));
            var bin = Vector128.ConditionalSelect(certain, truncated, Vector128.Create(Uncertain));
            var xZero = Vector128.Equals(x, zero).AsInt32();
            var yZero = Vector128.Equals(y, zero).AsInt32();
            bin = Vector128.ConditionalSelect(xZero, Vector128.ConditionalSelect(Vector128.GreaterThan(y, zero).AsInt32(), Vector128.Create(_down), Vector128.Create(_up)), bin);
            bin = Vector128.ConditionalSelect(yZero, Vector128.ConditionalSelect(Vector128.GreaterThan(x, zero).AsInt32(), Vector128.Create(_right), Vector128.Create(_left)), bin);
            bin = Vector128.AndNot(bin, xZero & yZero);
            bin.CopyTo(bins.Slice(i, Vector128<int>.Count));
        }

        ClassifyScalar(gx[whole..], gy[whole..], bins[whole..], magnitudes[whole..]);
    }
}
