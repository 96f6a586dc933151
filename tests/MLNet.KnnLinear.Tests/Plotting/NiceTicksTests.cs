using MLNet.KnnLinear.Plotting;

namespace MLNet.KnnLinear.Tests.Plotting;

public sealed class NiceTicksTests
{
    [Theory]
    [InlineData(0.187, 0.323, 0.02)]
    [InlineData(0, 19, 5)]
    [InlineData(0.2201, 0.2249, 0.001)]
    public void NiceTicks_Between_RoundStepsInsideTheRange(double min, double max, double step)
    {
        var ticks = NiceTicks.Between(min, max, 6);

        NiceTicks.Step(max - min, 6).Should().BeApproximately(step, step * 1e-9);
        ticks.Should().NotBeEmpty().And.OnlyContain(t => t >= min - 1e-12 && t <= max + 1e-12);
        ticks.Zip(ticks.Skip(1), (a, b) => b - a).Should().OnlyContain(d => Math.Abs(d - step) < step * 1e-6);
        ticks.Should().OnlyContain(t => Math.Abs((t / step) - Math.Round(t / step)) < 1e-6, "every tick is a multiple of the step");
    }

    [Fact]
    public void NiceTicks_Percent_AsManyDecimalsAsTheStepNeeds()
    {
        NiceTicks.Percent(0.25, 0.05).Should().Be("25%");
        NiceTicks.Percent(0.225, 0.005).Should().Be("22.5%");
        NiceTicks.Percent(-0.0, 0.1).Should().Be("0%");
        NiceTicks.Between(-0.03, 0.3, 6).Should().NotContain(t => double.IsNegative(t) && t == 0, "no −0 tick");
    }

    [Fact]
    public void NiceTicks_Step_RejectsAnEmptyRange()
    {
        FluentActions.Invoking(() => NiceTicks.Step(0, 5)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*positive, finite range*");
    }
}
