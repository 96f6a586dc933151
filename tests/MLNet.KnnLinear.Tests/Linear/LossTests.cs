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
    public void SquaredHingeLoss_LectureExample_SquaresEachViolatedMargin()
    {
        // Cat: (5.1 − 3.2 + 1)² = 8.41; car: no violation; frog: (2.2 + 3.1 + 1)² + (2.5 + 3.1 + 1)² = 39.69 + 43.56.
        var loss = new SquaredHingeLoss(margin: 1f);
        var gradient = new float[3];
        double[] losses = [.. Enumerable.Range(0, 3).Select(i => loss.Compute(LectureScores[i], i, gradient))];

        losses[0].Should().BeApproximately(8.41, 1e-5);
        losses[1].Should().Be(0);
        losses[2].Should().BeApproximately(83.25, 1e-5);
        gradient[0].Should().BeApproximately(12.6f, 1e-5f);
        gradient[1].Should().BeApproximately(13.2f, 1e-5f);
        gradient[2].Should().BeApproximately(-25.8f, 1e-5f, "2 × the violations, with the opposite sign for the true class");
    }

    [Fact]
    public void OneVersusRestSquaredHingeLoss_LectureExample_OneBinarySquaredHingePerClass()
    {
        // Per class j: max(0, 1 − t_j s_j)², t = +1 for the true class, −1 for the others.
        // Cat: (1 + 5.1)² = 37.21; car: (1 + 1.3)² + (1 + 2.0)² = 5.29 + 9; frog: (1 + 2.2)² + (1 + 2.5)² + (1 + 3.1)² = 10.24 + 12.25 + 16.81.
        var loss = new OneVersusRestSquaredHingeLoss(margin: 1f);
        var gradient = new float[3];
        double[] losses = [.. Enumerable.Range(0, 3).Select(i => loss.Compute(LectureScores[i], i, gradient))];

        losses[0].Should().BeApproximately(37.21, 1e-5);
        losses[1].Should().BeApproximately(14.29, 1e-5);
        losses[2].Should().BeApproximately(39.3, 1e-5);
        gradient[0].Should().BeApproximately(6.4f, 1e-5f);
        gradient[1].Should().BeApproximately(7.0f, 1e-5f);
        gradient[2].Should().BeApproximately(-8.2f, 1e-5f, "−2 t_y (1 − t_y s_y) pushes the true score up");
    }

    [Fact]
    public void OneVersusRestSquaredHingeLoss_AllMarginsMet_IsZero()
    {
        var gradient = new float[3] { 9f, 9f, 9f };
        new OneVersusRestSquaredHingeLoss(1f).Compute([-1f, 1.5f, -3f], 1, gradient).Should().Be(0);
        gradient.Should().Equal(0f, 0f, 0f);
    }

    [Theory]
    [InlineData(2f)]
    [InlineData(0.5f)]
    public void SquaredHingeLosses_Margin_ScalesLikeDeltaSquared(float margin)
    {
        // L(Δ s; Δ) = Δ² L(s; 1): the margin only rescales the problem (with L2, it trades against λ).
        ILinearLoss[] unit = [new SquaredHingeLoss(1f), new OneVersusRestSquaredHingeLoss(1f)];
        ILinearLoss[] scaled = [new SquaredHingeLoss(margin), new OneVersusRestSquaredHingeLoss(margin)];
        var g = new float[3];
        for (int k = 0; k < unit.Length; k++)
        {
            for (int i = 0; i < 3; i++)
            {
                float[] s = [.. LectureScores[i].Select(v => v * margin)];
                scaled[k].Compute(s, i, g).Should().BeApproximately(margin * margin * unit[k].Compute(LectureScores[i], i, g), 1e-4);
            }
        }
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
