using MLNet.KnnLinear.Knn;
using MLNet.KnnLinear.Search.Ivf;

namespace MLNet.KnnLinear.Tests.Knn;

/// <summary>
/// An inverted file can find no neighbour at all for a query (every probed list empty). The model then answers with
/// the training classes' shares and the most frequent class, never NaN (before: 0 / 0 scores and key 1).
/// </summary>
public sealed class KnnNoNeighbourTests
{
    [Fact]
    public void Predict_NoNeighbourFound_GivesTheTrainingPriors_NeverNaN()
    {
        // Two lists in one dimension: centroids at 0 and 100; every row is filed in list 0, so list 1 is empty, and
        // a query near 100 probing one list finds nothing.
        float[] rows = [1, 2, 3, 4, 5, 6];
        int[] classes = [2, 2, 0, 1, 2, 0];
        var ivf = IvfFlatIndex.FromAssignment(rows, [0, 0, 0, 0, 0, 0], [0f, 100f], dimension: 1, KnnDistance.L2, probes: 1, maxThreads: 1);
        var model = new KnnModelParameters(new NeighborIndex(ivf), classes, classCount: 4, numberOfNeighbors: 3, KnnWeighting.InverseDistance);

        var scores = new float[2 * 4];
        var predicted = new int[2];
        model.Predict([99f, 2f], scores, predicted);

        scores.AsSpan(0, 4).ToArray().Should().Equal([2f / 6, 1f / 6, 3f / 6, 0f], "the share of each class among the 6 training rows");
        predicted[0].Should().Be(2, "the most frequent training class");
        scores.Should().OnlyContain(s => float.IsFinite(s));
        predicted[1].Should().Be(2, "the query at 2 finds rows 1, 2, 3 (classes 2, 2, 0) in list 0");
        model.FindNearestNeighbors([99f]).Should().BeEmpty("no neighbour is found for the far query");
    }

    [Fact]
    public void Vote_NoNeighbour_IsRefused_NotNaN()
    {
        var scores = new float[3];
        FluentActions.Invoking(() => KnnVoting.Vote([], [], KnnWeighting.Uniform, scores))
            .Should().Throw<ArgumentException>().WithParameterName("neighborClasses");
    }
}
