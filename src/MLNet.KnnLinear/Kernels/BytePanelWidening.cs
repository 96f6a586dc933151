using System.Runtime.Intrinsics;

namespace MLNet.KnnLinear.Kernels;

/// <summary>
/// Features of one byte panel widened to floats in the float micro-kernel's layout (16 consecutive floats a feature),
/// what <see cref="DotTile"/> reads: a fractional query against byte rows, and every query against scalar-quantized
/// codes. A panel holds its features in pairs, 16 rows × 2 bytes a pair (<see cref="ByteDotTile.PairBytes"/>), so one
/// 32-byte load read as 16 ushorts holds a pair's two features: the low bytes are the even feature, the high bytes the
/// odd one. Widened eight lanes at a time that is 8 instructions a pair against 32 scalar loads and stores.
/// </summary>
internal static unsafe class BytePanelWidening
{
    private const int PanelRows = ByteDotTile.Columns;

    /// <summary>The path <see cref="Widen"/> takes on this machine: "vector256", "vector128" or "scalar".</summary>
    public static string Path => Vector256.IsHardwareAccelerated ? "vector256" : Vector128.IsHardwareAccelerated ? "vector128" : "scalar";

    /// <summary>Features [<paramref name="k0"/>, k0 + <paramref name="kc"/>) of the panel at <paramref name="panel"/> into <paramref name="destination"/> (kc × 16 floats).</summary>
    public static void Widen(byte* panel, int k0, int kc, float* destination)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            WidenVector256(panel, k0, kc, destination);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            WidenVector128(panel, k0, kc, destination);
        }
        else
        {
            WidenScalar(panel, k0, kc, destination);
        }
    }

    /// <summary>The twin every path is tested against: one byte at a time.</summary>
    public static void WidenScalar(byte* panel, int k0, int kc, float* destination)
    {
        for (int k = 0; k < kc; k++)
        {
            byte* pair = panel + (((k0 + k) >> 1) * ByteDotTile.PairBytes) + ((k0 + k) & 1);
            float* f = destination + (k * PanelRows);
            for (int lane = 0; lane < PanelRows; lane++)
            {
                f[lane] = pair[2 * lane];
            }
        }
    }

    public static void WidenVector256(byte* panel, int k0, int kc, float* destination)
    {
        int k = Lead(panel, k0, kc, destination);
        var low = Vector256.Create((ushort)0xFF);
        for (; k + 1 < kc; k += 2)
        {
            var pair = Vector256.Load((ushort*)(panel + (((k0 + k) >> 1) * ByteDotTile.PairBytes)));
            Store256(pair & low, destination + (k * PanelRows));
            Store256(Vector256.ShiftRightLogical(pair, 8), destination + ((k + 1) * PanelRows));
        }

        Tail(panel, k0, k, kc, destination);
    }

    public static void WidenVector128(byte* panel, int k0, int kc, float* destination)
    {
        int k = Lead(panel, k0, kc, destination);
        var low = Vector128.Create((ushort)0xFF);
        for (; k + 1 < kc; k += 2)
        {
            ushort* at = (ushort*)(panel + (((k0 + k) >> 1) * ByteDotTile.PairBytes));
            for (int half = 0; half < 2; half++)
            {
                var pair = Vector128.Load(at + (8 * half));
                Store128(pair & low, destination + (k * PanelRows) + (8 * half));
                Store128(Vector128.ShiftRightLogical(pair, 8), destination + ((k + 1) * PanelRows) + (8 * half));
            }
        }

        Tail(panel, k0, k, kc, destination);
    }

    /// <summary>An odd first feature is the high half of its pair: widened alone, so the loop starts on a pair. Returns where the loop starts.</summary>
    private static int Lead(byte* panel, int k0, int kc, float* destination)
    {
        if ((k0 & 1) == 0 || kc == 0)
        {
            return 0;
        }

        WidenScalar(panel, k0, 1, destination);
        return 1;
    }

    /// <summary>A last feature without its pair's partner.</summary>
    private static void Tail(byte* panel, int k0, int k, int kc, float* destination)
    {
        if (k < kc)
        {
            WidenScalar(panel, k0 + k, 1, destination + (k * PanelRows));
        }
    }

    private static void Store256(Vector256<ushort> values, float* destination)
    {
        var (lower, upper) = Vector256.Widen(values);
        Vector256.ConvertToSingle(lower.AsInt32()).Store(destination);
        Vector256.ConvertToSingle(upper.AsInt32()).Store(destination + 8);
    }

    private static void Store128(Vector128<ushort> values, float* destination)
    {
        var (lower, upper) = Vector128.Widen(values);
        Vector128.ConvertToSingle(lower.AsInt32()).Store(destination);
        Vector128.ConvertToSingle(upper.AsInt32()).Store(destination + 4);
    }
}
