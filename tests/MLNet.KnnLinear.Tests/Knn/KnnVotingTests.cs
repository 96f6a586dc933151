using MLNet.KnnLinear.Knn;

namespace MLNet.KnnLinear.Tests.Knn;

public sealed class KnnVotingTests
{
    [Fact]
    public void KnnVoting_Uniform_MajorityWinsAndScoresAreFractions()
    {
        var scores = new float[3];
        int predicted = KnnVoting.Vote([1f, 2f, 3f, 4f, 5f], [2, 0, 2, 1, 2], KnnWeighting.Uniform, scores);
        predicted.Should().Be(2);
        scores.Should().Equal(0.2f, 0.2f, 0.6f);
    }

    [Fact]
    public void KnnVoting_UniformTie_ClassOfNearestNeighbourWins()
    {
        var scores = new float[3];
        // Classes 1 and 0 have two votes each; class 1 holds the nearest neighbour.
        KnnVoting.Vote([1f, 2f, 3f, 4f], [1, 0, 0, 1], KnnWeighting.Uniform, scores).Should().Be(1);
        KnnVoting.Vote([1f, 2f, 3f, 4f, 5f], [2, 0, 1, 0, 1], KnnWeighting.Uniform, scores).Should().Be(0, "class 2 is nearest but not among the tied classes 0 and 1; class 0's nearest is closer than class 1's");
    }

    [Fact]
    public void KnnVoting_InverseDistance_WeighsByOneOverDistance()
    {
        var scores = new float[2];
        // Weights 1/1 = 1 for class 0 against 1/4 + 1/4 = 0.5 for class 1.
        KnnVoting.Vote([1f, 4f, 4f], [0, 1, 1], KnnWeighting.InverseDistance, scores).Should().Be(0);
        scores[0].Should().BeApproximately(1f / 1.5f, 1e-6f);
        scores[1].Should().BeApproximately(0.5f / 1.5f, 1e-6f);
    }

    [Fact]
    public void KnnVoting_InverseDistanceWithExactMatches_OnlyExactMatchesVote()
    {
        var scores = new float[2];
        KnnVoting.Vote([0f, 0f, 0.1f], [1, 1, 0], KnnWeighting.InverseDistance, scores).Should().Be(1);
        scores.Should().Equal(0f, 1f);
    }
}
