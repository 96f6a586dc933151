using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace MLNet.KnnLinear.Imaging;

/// <summary>
/// The per-pixel half of trilinear (OpenCV) voting, eight (or four) pixels at a time: the float magnitude, and the
/// two orientation bins a magnitude is split between with the upper bin's share, from OpenCV's fast atan2 in its own
/// float operations (<see cref="FastAtan"/>: three fused multiply-adds) and its degrees → radians → bin arithmetic.
/// Branch-free: the angle's octant and the wrap of the bins change unpredictably from pixel to pixel.
/// <para>
/// The vector paths need a fused multiply-add in hardware, as the scalar twin's <see cref="MathF.FusedMultiplyAdd"/>
/// rounds once: FMA3 on x86 (which comes with AVX2), AdvSimd on Arm64. Without one the scalar twin runs. All paths
/// give bit-identical bins, shares and magnitudes.
/// </para>
/// </summary>
internal sealed class HogTrilinearBins
{
    // OpenCV's order of float operations: degrees → radians → bin position, centres at (i + ½)·width.
    private const float DegreesToRadians = (float)(Math.PI / 180);

    private readonly int _orientations;
    private readonly float _binsPerRadian;

    public HogTrilinearBins(int orientations, bool signed)
    {
        _orientations = orientations;
        _binsPerRadian = (float)(orientations / (signed ? 2 * Math.PI : Math.PI));
    }

    /// <summary>Whether the 32-byte path runs: Vector256 with a hardware fused multiply-add.</summary>
    public static bool IsAccelerated256 => Vector256.IsHardwareAccelerated && Fma.IsSupported;

    /// <summary>Whether the 16-byte path can run: Vector128 with a hardware fused multiply-add (FMA3 or AdvSimd).</summary>
    public static bool IsAccelerated128 => Vector128.IsHardwareAccelerated && (Fma.IsSupported || AdvSimd.IsSupported);

    /// <summary>The path <see cref="Classify"/> takes here: "vector256", "vector128" or "scalar".</summary>
    public static string Path => IsAccelerated256 ? "vector256" : IsAccelerated128 ? "vector128" : "scalar";

    /// <summary>Per pixel: the magnitude, the lower and upper bins (as floats, where the voting loop reads them) and the upper bin's share.</summary>
    public void Classify(ReadOnlySpan<float> gx, ReadOnlySpan<float> gy, Span<float> magnitude, Span<float> lowBin, Span<float> highBin, Span<float> highShare)
    {
        if (IsAccelerated256)
        {
            ClassifyVector256(gx, gy, magnitude, lowBin, highBin, highShare);
        }
        else if (IsAccelerated128)
        {
            ClassifyVector128(gx, gy, magnitude, lowBin, highBin, highShare);
        }
        else
        {
            ClassifyScalar(gx, gy, magnitude, lowBin, highBin, highShare);
        }
    }

    /// <summary>The reference twin, one pixel at a time, as OpenCV's scalar code.</summary>
    public void ClassifyScalar(ReadOnlySpan<float> gx, ReadOnlySpan<float> gy, Span<float> magnitude, Span<float> lowBin, Span<float> highBin, Span<float> highShare)
    {
        int orientations = _orientations;
        for (int p = 0; p < gx.Length; p++)
        {
            float x = gx[p];
            float y = gy[p];
            magnitude[p] = MathF.Sqrt((x * x) + (y * y));
            float position = (FastAtan.Degrees(y, x) * DegreesToRadians * _binsPerRadian) - 0.5f;
            float floor = MathF.Floor(position);

            // position ∈ [−0.5, 2·orientations − 0.5): fold into [0, orientations) without an integer division.
            int low = (int)floor;
            if (low < 0)
            {
                low += orientations;
            }
            else if (low >= orientations)
            {
                low -= orientations;
            }

            lowBin[p] = low;
            highBin[p] = low + 1 == orientations ? 0 : low + 1;
            highShare[p] = position - floor;
        }
    }

    /// <summary>The 32-byte path (call only where <see cref="IsAccelerated256"/>; elsewhere its multiply-adds are software).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ClassifyVector256(ReadOnlySpan<float> gx, ReadOnlySpan<float> gy, Span<float> magnitude, Span<float> lowBin, Span<float> highBin, Span<float> highShare)
    {
        int n = gx.Length;
        int whole = n - (n % Vector256<float>.Count);
        var zero = Vector256<float>.Zero;
        var orientations = Vector256.Create((float)_orientations);
        for (int i = 0; i < whole; i += Vector256<float>.Count)
        {
            var x = Vector256.Create(gx.Slice(i, Vector256<float>.Count));
            var y = Vector256.Create(gy.Slice(i, Vector256<float>.Count));
            Vector256.Sqrt((x * x) + (y * y)).CopyTo(magnitude.Slice(i, Vector256<float>.Count));

            var ax = Vector256.Abs(x);
            var ay = Vector256.Abs(y);
            var xSmaller = Vector256.LessThan(ax, ay);
            var c = Vector256.ConditionalSelect(xSmaller, ax, ay) / (Vector256.ConditionalSelect(xSmaller, ay, ax) + Vector256.Create(FastAtan.Epsilon));
            var cc = c * c;
            var a = MultiplyAdd(MultiplyAdd(MultiplyAdd(Vector256.Create(FastAtan.P7), cc, Vector256.Create(FastAtan.P5)), cc, Vector256.Create(FastAtan.P3)), cc, Vector256.Create(FastAtan.P1)) * c;
            a = Vector256.ConditionalSelect(xSmaller, Vector256.Create(90f) - a, a);
            a = Vector256.ConditionalSelect(Vector256.LessThan(x, zero), Vector256.Create(180f) - a, a);
            a = Vector256.ConditionalSelect(Vector256.LessThan(y, zero), Vector256.Create(360f) - a, a);

            var position = (a * Vector256.Create(DegreesToRadians) * Vector256.Create(_binsPerRadian)) - Vector256.Create(0.5f);
            var floor = Vector256.Floor(position);
            var low = floor + Vector256.ConditionalSelect(Vector256.LessThan(floor, zero), orientations, zero);
            low -= Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(low, orientations), orientations, zero);
            var high = low + Vector256<float>.One;
            high = Vector256.AndNot(high, Vector256.Equals(high, orientations));
            low.CopyTo(lowBin.Slice(i, Vector256<float>.Count));
            high.CopyTo(highBin.Slice(i, Vector256<float>.Count));
            (position - floor).CopyTo(highShare.Slice(i, Vector256<float>.Count));
        }

        ClassifyScalar(gx[whole..], gy[whole..], magnitude[whole..], lowBin[whole..], highBin[whole..], highShare[whole..]);
    }

    /// <summary>The 16-byte path (call only where <see cref="IsAccelerated128"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ClassifyVector128(ReadOnlySpan<float> gx, ReadOnlySpan<float> gy, Span<float> magnitude, Span<float> lowBin, Span<float> highBin, Span<float> highShare)
    {
        int n = gx.Length;
        int whole = n - (n % Vector128<float>.Count);
        var zero = Vector128<float>.Zero;
        var orientations = Vector128.Create((float)_orientations);
        for (int i = 0; i < whole; i += Vector128<float>.Count)
        {
            var x = Vector128.Create(gx.Slice(i, Vector128<float>.Count));
            var y = Vector128.Create(gy.Slice(i, Vector128<float>.Count));
            Vector128.Sqrt((x * x) + (y * y)).CopyTo(magnitude.Slice(i, Vector128<float>.Count));

            var ax = Vector128.Abs(x);
            var ay = Vector128.Abs(y);
            var xSmaller = Vector128.LessThan(ax, ay);
            var c = Vector128.ConditionalSelect(xSmaller, ax, ay) / (Vector128.ConditionalSelect(xSmaller, ay, ax) + Vector128.Create(FastAtan.Epsilon));
            var cc = c * c;
            var a = MultiplyAdd(MultiplyAdd(MultiplyAdd(Vector128.Create(FastAtan.P7), cc, Vector128.Create(FastAtan.P5)), cc, Vector128.Create(FastAtan.P3)), cc, Vector128.Create(FastAtan.P1)) * c;
            a = Vector128.ConditionalSelect(xSmaller, Vector128.Create(90f) - a, a);
            a = Vector128.ConditionalSelect(Vector128.LessThan(x, zero), Vector128.Create(180f) - a, a);
            a = Vector128.ConditionalSelect(Vector128.LessThan(y, zero), Vector128.Create(360f) - a, a);

            var position = (a * Vector128.Create(DegreesToRadians) * Vector128.Create(_binsPerRadian)) - Vector128.Create(0.5f);
            var floor = Vector128.Floor(position);
            var low = floor + Vector128.ConditionalSelect(Vector128.LessThan(floor, zero), orientations, zero);
            low -= Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(low, orientations), orientations, zero);
            var high = low + Vector128<float>.One;
            high = Vector128.AndNot(high, Vector128.Equals(high, orientations));
            low.CopyTo(lowBin.Slice(i, Vector128<float>.Count));
            high.CopyTo(highBin.Slice(i, Vector128<float>.Count));
            (position - floor).CopyTo(highShare.Slice(i, Vector128<float>.Count));
        }

        ClassifyScalar(gx[whole..], gy[whole..], magnitude[whole..], lowBin[whole..], highBin[whole..], highShare[whole..]);
    }

    private static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c)
#if NET9_0_OR_GREATER
        => Vector256.FusedMultiplyAdd(a, b, c);
#else
        => Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : Vector256.Create(MultiplyAdd(a.GetLower(), b.GetLower(), c.GetLower()), MultiplyAdd(a.GetUpper(), b.GetUpper(), c.GetUpper()));
#endif

    private static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c)
#if NET9_0_OR_GREATER
        => Vector128.FusedMultiplyAdd(a, b, c);
#else
        => Fma.IsSupported ? Fma.MultiplyAdd(a, b, c)
            : AdvSimd.IsSupported ? AdvSimd.FusedMultiplyAdd(c, a, b)
            : Vector128.Create(MathF.FusedMultiplyAdd(a[0], b[0], c[0]), MathF.FusedMultiplyAdd(a[1], b[1], c[1]), MathF.FusedMultiplyAdd(a[2], b[2], c[2]), MathF.FusedMultiplyAdd(a[3], b[3], c[3]));
#endif
}
