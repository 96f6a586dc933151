using MLNet.KnnLinear.Linear.Losses;

namespace MLNet.KnnLinear.Tests.Linear;

public sealed class LossTests
{
    // The CS231n lecture's worked example: three images (cat, car, frog), scores of the three classes.
    private static readonly float[][] LectureScores = [[3.2f, 5.1f, -1.7f], [1.3f, 4.9f, 2.0f], [2.2f, 2.5f, -3.1f]];

    [Fact]
    public void HingeLoss_LectureExample_2Point9_0_12Point9_Mean5Point27()
    {
        var loss = new HingeLoss(margin: 1f, smoothing: 0);
        var gradient = new float[3];
        double[] losses = [.. Enumerable.Range(0, 3).Select(i => loss.Compute(LectureScores[i], i, gradient))];

        losses[0].Should().BeApproximately(2.9, 1e-6);
        losses[1].Should().BeApproximately(0.0, 1e-6);
        losses[2].Should().BeApproximately(12.9, 1e-6);
        losses.Average().Should().BeApproximately(15.8 / 3, 1e-6);
        Math.Round(losses.Average(), 2).Should().Be(5.27, "the lecture rounds the mean to two decimals");
    }

    [Fact]
    public void HingeLoss_Gradient_CountsViolatedMargins()
    {
        var gradient = new float[3];
        new HingeLoss(1f, 0).Compute(LectureScores[2], 2, gradient);
        gradient.Should().Equal(1f, 1f, -2f);
    }

    [Fact]
    public void SoftmaxLoss_LectureExample_Cat2Point04()
    {
        var gradient = new float[3];
        double loss = SoftmaxLoss.Instance.Compute(LectureScores[0], 0, gradient);

        loss.Should().BeApproximately(2.0404, 1e-4);
        gradient.Sum().Should().BeApproximately(0f, 1e-6f, "probabilities sum to 1 and one is subtracted");
    }

    [Fact]
    public void SoftmaxLoss_HugeScores_StaysFinite()
    {
        var gradient = new float[2];
        double loss = SoftmaxLoss.Instance.Compute([1000f, -1000f], 1, gradient);
        loss.Should().BeApproximately(2000, 1e-3);
        gradient.Should().Equal(1f, -1f);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.01)]
    public void HingeLoss_Smoothed_WithinHalfSmoothingPerTerm(double smoothing)
    {
        var exact = new HingeLoss(1f, 0);
        var smooth = new HingeLoss(1f, smoothing);
        var g = new float[3];
        for (int i = 0; i < 3; i++)
        {
            double difference = exact.Compute(LectureScores[i], i, g) - smooth.Compute(LectureScores[i], i, g);
            difference.Should().BeInRange(0, smoothing, "each of the two terms differs by at most μ/2");
        }
    }
}
