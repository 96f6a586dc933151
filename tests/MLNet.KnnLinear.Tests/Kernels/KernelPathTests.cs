using System.Runtime.Intrinsics.X86;
using MLNet.KnnLinear.Imaging;
using MLNet.KnnLinear.Kernels;
using Xunit.Abstractions;

namespace MLNet.KnnLinear.Tests.Kernels;

/// <summary>
/// Which kernel paths this process runs. CI runs the kernel tests several times (default, AVX2 disabled: the 16-byte
/// paths, every intrinsic disabled: the scalar twins, AVX-512 disabled by DOTNET_EnableAVX512=0) and says through <c>KNNLINEAR_EXPECTED_KERNELS</c> which paths each pass must exercise, so a pass that
/// silently compares a scalar twin with itself, or never reaches the fast path, fails instead.
/// </summary>
public sealed class KernelPathTests(ITestOutputHelper output)
{
    /// <summary>The byte-SAD, float-dot and byte-dot paths in use, e.g. "sad=avx512,dot=fma,bytedot=avx2,hog=vector256,hogtrilinear=vector256".</summary>
    public static string Paths()
    {
        return $"sad={SadTile.Path},dot={DotTile.Path},bytedot={ByteDotTile.Path},hog={HogHardBins.Path},hogtrilinear={HogTrilinearBins.Path}";
    }

    [Fact]
    public void Kernels_PathsInUse_AreTheOnesThisRunExpects()
    {
        string paths = Paths();
        output.WriteLine($"kernel paths: {paths} (Avx2 {Avx2.IsSupported}, Fma {Fma.IsSupported}, Avx512BW {Avx512BW.IsSupported})");

        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0")
        {
            Avx2.IsSupported.Should().BeFalse("DOTNET_EnableAVX2=0 must turn AVX2 off");
            paths.Should().StartWith("sad=vector128", "with AVX2 off the SAD kernel runs its 16-byte path (SSE2 here, AdvSimd on Arm64)");
        }

        if (Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0")
        {
            paths.Should().Be("sad=scalar,dot=scalar,bytedot=scalar,hog=scalar,hogtrilinear=scalar", "with every hardware intrinsic off only the scalar twins run");
        }

        // .NET 10 reads DOTNET_EnableAVX512; the older DOTNET_EnableAVX512F no longer turns AVX-512 off, which is
        // how an "AVX-512 disabled" pass can silently run the AVX-512 kernels again.
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0")
        {
            Avx512F.IsSupported.Should().BeFalse("DOTNET_EnableAVX512=0 must turn AVX-512 off");
            paths.Should().NotContain("avx512");
        }

        string? expected = Environment.GetEnvironmentVariable("KNNLINEAR_EXPECTED_KERNELS");
        if (expected is not null)
        {
            paths.Should().Be(expected, "CI names the kernel paths each pass must run");
        }
        else if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("Under CI=true, KNNLINEAR_EXPECTED_KERNELS must say which kernel paths this pass runs (e.g. sad=avx2,dot=fma,bytedot=avx2,hog=vector256,hogtrilinear=vector256).");
        }
    }
}
