using MLNet.KnnLinear.Kernels;
using MLNet.KnnLinear.Linear.Losses;
using MLNet.KnnLinear.Linear.Optimization;
using MLNet.KnnLinear.Linear.Regularizers;

namespace MLNet.KnnLinear.Tests.Linear;

public sealed class LinearObjectiveTests
{
    [Theory]
    [InlineData(LinearLoss.Softmax, 0.0)]
    [InlineData(LinearLoss.Hinge, 0.1)]
    [InlineData(LinearLoss.Hinge, 1.0)]
    [InlineData(LinearLoss.SquaredHinge, 0.0)]
    [InlineData(LinearLoss.OneVersusRestSquaredHinge, 0.0)]
    public void LinearObjective_Gradient_MatchesFiniteDifferences(LinearLoss kind, double smoothing)
    {
        const int rows = 31;
        const int dim = 7;
        const int classes = 4;
        var random = new Random(3);
        var features = new float[(rows + DotTile.Rows) * dim];
        for (int i = 0; i < rows * dim; i++)
        {
            features[i] = (float)(random.NextDouble() - 0.5);
        }

        var labels = Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray();
        var weights = Enumerable.Range(0, rows).Select(_ => (float)random.NextDouble()).ToArray();
        ILinearLoss loss = LinearLosses.Create(kind, margin: 1f, smoothing);
        var objective = new LinearObjective(features, labels, weights, dim, classes, loss, Regularizer.Create(Regularization.L2, 0.05, 0), 2);
        var theta = Enumerable.Range(0, objective.ParameterCount).Select(_ => random.NextDouble() - 0.5).ToArray();
        var gradient = new double[theta.Length];
        objective.Evaluate(theta, gradient);

        var scratch = new double[theta.Length];
        for (int i = 0; i < theta.Length; i++)
        {
            double h = 1e-3;
            double saved = theta[i];
            theta[i] = saved + h;
            double up = objective.Evaluate(theta, scratch);
            theta[i] = saved - h;
            double down = objective.Evaluate(theta, scratch);
            theta[i] = saved;
            gradient[i].Should().BeApproximately((up - down) / (2 * h), 2e-3, $"parameter {i}");
        }
    }

    [Fact]
    public void LinearObjective_ThreadCount_DoesNotChangeBits()
    {
        const int rows = 1000;
        const int dim = 13;
        var random = new Random(5);
        var features = Enumerable.Range(0, (rows + DotTile.Rows) * dim).Select(i => i < rows * dim ? (float)random.NextDouble() : 0f).ToArray();
        var labels = Enumerable.Range(0, rows).Select(_ => random.Next(3)).ToArray();
        var theta = Enumerable.Range(0, (3 * dim) + 3).Select(_ => random.NextDouble()).ToArray();
        double[] Run(int threads, out double value)
        {
            var g = new double[theta.Length];
            value = new LinearObjective(features, labels, null, dim, 3, SoftmaxLoss.Instance, Regularizer.Create(Regularization.L2, 0.01, 0), threads).Evaluate(theta, g);
            return g;
        }

        Run(1, out double one).Should().Equal(Run(2, out double two));
        one.Should().Be(two);
    }
}
