using MLNet.KnnLinear.Kernels;

namespace MLNet.KnnLinear.Tests.Kernels;

/// <summary>
/// The fused distance from a float query to an 8-bit code: every path (Vector256, Vector128, the dispatched one)
/// equals the scalar twin to float rounding, and the twin equals a double sum over the decoded values, for lengths
/// around the 16-code step and its tail, with codes of every value (0 and 255 included).
/// </summary>
public sealed class CodeDistanceTests
{
    public static TheoryData<int> Lengths => new() { 1, 7, 15, 16, 17, 31, 32, 33, 192, 3072, 3075 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void EveryPath_EqualsTheScalarTwin_AndTheTwinEqualsTheDecodedSum(int length)
    {
        var random = new Random(length);
        var query = Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        var code = new byte[length];
        random.NextBytes(code);
        code[0] = 255;
        code[^1] = 0;
        var middle = Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1.5)).ToArray();
        var step = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 0.02)).ToArray();

        double squared = 0, dot = 0, scale = 0;
        for (int j = 0; j < length; j++)
        {
            double value = middle[j] + ((double)step[j] * code[j]);
            squared += (query[j] - value) * (query[j] - value);
            dot += query[j] * value;
            scale += Math.Abs(query[j] * value);
        }

        CodeDistance.SquaredL2Scalar(query, code, middle, step).Should().BeApproximately((float)squared, (float)(1e-5 * squared) + 1e-6f);
        CodeDistance.DotScalar(query, code, middle, step).Should().BeApproximately((float)dot, (float)(1e-5 * scale) + 1e-6f);
        float twinSquared = CodeDistance.SquaredL2Scalar(query, code, middle, step);
        float twinDot = CodeDistance.DotScalar(query, code, middle, step);
        foreach (var (name, value) in new[]
        {
            ("Vector256", CodeDistance.SquaredL2Vector256(query, code, middle, step)),
            ("Vector128", CodeDistance.SquaredL2Vector128(query, code, middle, step)),
            ("dispatched", CodeDistance.SquaredL2(query, code, middle, step)),
        })
        {
            value.Should().BeApproximately(twinSquared, (1e-5f * twinSquared) + 1e-6f, $"the {name} squared L2");
        }

        foreach (var (name, value) in new[]
        {
            ("Vector256", CodeDistance.DotVector256(query, code, middle, step)),
            ("Vector128", CodeDistance.DotVector128(query, code, middle, step)),
            ("dispatched", CodeDistance.Dot(query, code, middle, step)),
        })
        {
            value.Should().BeApproximately(twinDot, (float)(1e-5 * scale) + 1e-6f, $"the {name} dot product");
        }
    }
}
