using MLNet.KnnLinear.Linear.Optimization;

namespace MLNet.KnnLinear.Tests.Linear;

public sealed class OptimizerTests
{
    [Fact]
    public void OwlQn_WithoutL1_MinimisesRosenbrock()
    {
        var theta = new double[] { -1.2, 1 };
        var trace = new OwlQn { Tolerance = 1e-14, GradientTolerance = 1e-10, MaxIterations = 500 }.Minimize(Rosenbrock, theta, 0, 0);

        theta[0].Should().BeApproximately(1, 1e-5);
        theta[1].Should().BeApproximately(1, 1e-5);
        trace.Objective.Should().BeInDescendingOrder();
    }

    [Theory]
    [InlineData(1.0, 2.0)]
    [InlineData(5.0, 0.0)]
    public void OwlQn_L1_SoftThresholdsKnownAnswer(double l1, double expected)
    {
        // ½ (x − 3)² + c |x| has its minimum at sign(3) · max(3 − c, 0).
        var theta = new double[] { 0.5 };
        new OwlQn { Tolerance = 1e-14, GradientTolerance = 1e-12 }.Minimize(
            (t, g) =>
            {
                g[0] = t[0] - 3;
                return 0.5 * (t[0] - 3) * (t[0] - 3);
            },
            theta,
            l1,
            1);

        theta[0].Should().BeApproximately(expected, 1e-6);
    }

    private static double Rosenbrock(double[] t, double[] g)
    {
        double a = 1 - t[0];
        double b = t[1] - (t[0] * t[0]);
        g[0] = (-2 * a) - (400 * t[0] * b);
        g[1] = 200 * b;
        return (a * a) + (100 * b * b);
    }
}
