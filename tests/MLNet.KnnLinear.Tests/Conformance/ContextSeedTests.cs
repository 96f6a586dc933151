using Microsoft.ML;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Conformance;

/// <summary>
/// A seed left unset in the options comes from the MLContext (as in ML.NET's own trainers): the same
/// <c>MLContext(seed)</c> gives the same model whatever the thread count, another context seed another model, and a
/// seed set in the options wins over the context's.
/// </summary>
public sealed class ContextSeedTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KnnApproximateIndex_SeedFromTheContext_UnlessTheOptionsSetOne(bool hnsw)
    {
        string Model(int contextSeed, int? optionSeed, int threads)
        {
            var ml = new MLContext(seed: contextSeed);
            var data = SyntheticData.Keyed(ml, SyntheticData.Rows(600, 8, seed: 1), 8);
            NeighborIndexOptions index = hnsw
                ? new HnswIndexOptions { MaxConnections = 4, ConstructionSearchSize = 16, Seed = optionSeed }
                : new IvfIndexOptions { NumberOfLists = 8, NumberOfProbes = 2, Seed = optionSeed };
            var model = ml.MulticlassClassification.Trainers.Knn(new KnnTrainer.Options { Index = index, NumberOfThreads = threads }).Fit(data).Model.Index;
            return hnsw
                ? string.Join(",", model.Hnsw!.Levels.ToArray()) + "|" + string.Join(",", model.Hnsw.Links.ToArray())
                : string.Join(",", model.Ivf!.Centroids.ToArray());
        }

        Model(3, null, 1).Should().Be(Model(3, null, 2), "the same context seed gives the same index whatever the threads");
        Model(3, null, 2).Should().NotBe(Model(4, null, 2), "another context seed draws another sample / other levels");
        Model(3, 9, 2).Should().Be(Model(4, 9, 2), "a seed set in the options wins over the context's");
    }

    [Fact]
    public void LinearSgd_SeedFromTheContext_UnlessTheOptionsSetOne()
    {
        string Weights(int contextSeed, int? optionSeed)
        {
            var ml = new MLContext(seed: contextSeed);
            var data = SyntheticData.Keyed(ml, SyntheticData.Rows(400, 6, seed: 2), 6);
            var model = ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options
            {
                Solver = LinearSolver.MiniBatchSgd, NumberOfEpochs = 3, BatchSize = 16, Seed = optionSeed, ValidationFraction = 0.2,
            }).Fit(data);
            return string.Join(",", model.Model.Weights);
        }

        Weights(5, null).Should().Be(Weights(5, null));
        Weights(5, null).Should().NotBe(Weights(6, null), "the context seed decides the shuffles and the held-out rows");
        Weights(5, 11).Should().Be(Weights(6, 11), "a seed set in the options wins");
    }
}
