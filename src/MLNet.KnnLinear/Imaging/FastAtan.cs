namespace MLNet.KnnLinear.Imaging;

/// <summary>
/// OpenCV's <c>fastAtan32f</c> (core/src/mathfuncs_core.simd.hpp): atan2 in degrees in [0, 360) from a 7th-order
/// polynomial in min/max(|x|, |y|), error below 0.01°. The trilinear (OpenCV-compatible) HoG uses it because an
/// exact atan2 moves OpenCV's descriptors by up to 1.3e-4, and because it is several times cheaper.
/// </summary>
internal static class FastAtan
{
    private const float RadiansToDegrees = (float)(180 / Math.PI);
    internal const float P1 = 0.9997878412794807f * RadiansToDegrees;
    internal const float P3 = -0.3258083974640975f * RadiansToDegrees;
    internal const float P5 = 0.1555786518463281f * RadiansToDegrees;
    internal const float P7 = -0.04432655554792128f * RadiansToDegrees;
    internal const float Epsilon = 2.220446049250313e-16f; // (float)DBL_EPSILON, as OpenCV adds it

    public static float Degrees(float y, float x)
    {
        float ax = Math.Abs(x);
        float ay = Math.Abs(y);
        float c = Math.Min(ax, ay) / (Math.Max(ax, ay) + Epsilon);
        float cc = c * c;
        float a = MathF.FusedMultiplyAdd(MathF.FusedMultiplyAdd(MathF.FusedMultiplyAdd(P7, cc, P5), cc, P3), cc, P1) * c;
        if (ax < ay)
        {
            a = 90 - a;
        }

        if (x < 0)
        {
            a = 180 - a;
        }

        if (y < 0)
        {
            a = 360 - a;
        }

        return a;
    }
}
