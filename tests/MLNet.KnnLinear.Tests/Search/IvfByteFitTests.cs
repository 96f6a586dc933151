using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear.Tests.Search;

/// <summary>
/// An inverted file fitted from a cursor's pixel rows keeps them as bytes (<see cref="RowStore{T}"/>), trains on the
/// same sample rows widened and files the rows as bytes: it must give what building from the same rows as floats
/// gives, ids and distances, and so must a fit whose rows stop being bytes part way (it switches to floats).
/// </summary>
public sealed class IvfByteFitTests
{
    [Theory]
    [InlineData(KnnDistance.L2, false)]
    [InlineData(KnnDistance.Cosine, false)]
    [InlineData(KnnDistance.L1, false)]
    [InlineData(KnnDistance.L2, true)]
    public void FitFromPixelRows_EqualsBuildFromTheSameRowsAsFloats(KnnDistance distance, bool aFractionalRow)
    {
        const int dimension = 40;
        const int rowCount = 3000;
        var random = new Random(21);
        var bytes = new byte[rowCount * dimension];
        random.NextBytes(bytes);
        var floats = bytes.Select(b => (float)b).ToArray();
        if (aFractionalRow)
        {
            floats[(2000 * dimension) + 7] += 0.5f;
        }

        var options = new IvfIndexOptions { NumberOfLists = 24, NumberOfProbes = 5, Seed = 3, TrainingRowsPerList = 64 };
        var fit = new NeighborIndexFit(dimension, distance, options, rowCount);
        for (int r = 0; r < rowCount; r++)
        {
            if (r % 2 == 0 && !(aFractionalRow && r == 2000))
            {
                fit.Append(bytes.AsSpan(r * dimension, dimension));
            }
            else
            {
                fit.Append(floats.AsSpan(r * dimension, dimension));
            }
        }

        var fitted = fit.Build(maxThreads: 0);
        var built = NeighborIndex.Build(floats, dimension, distance, options);
        var queries = floats.AsSpan(0, 50 * dimension).ToArray();
        var (ids, distances) = Search(fitted, queries);
        var (expectedIds, expectedDistances) = Search(built, queries);
        ids.Should().Equal(expectedIds);
        distances.Should().Equal(expectedDistances);
        fitted.Count.Should().Be(rowCount);
    }

    [Fact]
    public void TrainOnByteRows_GivesTheIndexTrainingOnTheRowsAsFloatsGives()
    {
        const int dimension = 30;
        var random = new Random(23);
        var bytes = new byte[2000 * dimension];
        random.NextBytes(bytes);
        var floats = bytes.Select(b => (float)b).ToArray();
        var options = new IvfIndexOptions { NumberOfLists = 16, NumberOfProbes = 4, Seed = 9, TrainingRowsPerList = 50 };
        var fromBytes = NeighborIndex.Create(dimension, KnnDistance.L2, options);
        var fromFloats = NeighborIndex.Create(dimension, KnnDistance.L2, options);
        fromBytes.Train(bytes);
        fromFloats.Train(floats);
        fromBytes.IsTrained.Should().BeTrue();
        fromBytes.Add(bytes);
        fromFloats.Add(bytes);
        var queries = floats.AsSpan(0, 40 * dimension).ToArray();
        var (ids, distances) = Search(fromBytes, queries);
        var (expectedIds, expectedDistances) = Search(fromFloats, queries);
        ids.Should().Equal(expectedIds);
        distances.Should().Equal(expectedDistances);

        FluentActions.Invoking(() => fromBytes.Train(bytes)).Should().Throw<InvalidOperationException>().WithMessage("*trained already*");
        FluentActions.Invoking(() => NeighborIndex.Create(dimension, KnnDistance.L2, options).Train(ReadOnlySpan<byte>.Empty)).Should().Throw<ArgumentException>().WithParameterName("sample");
        FluentActions.Invoking(() => NeighborIndex.Create(dimension, KnnDistance.L2, options).Train(bytes.AsSpan(0, 15 * dimension))).Should().Throw<ArgumentOutOfRangeException>("15 rows for 16 lists");
        FluentActions.Invoking(() => NeighborIndex.Create(dimension, KnnDistance.L2, options).Train(bytes.AsSpan(0, dimension + 1))).Should().Throw<ArgumentException>().WithParameterName("sample");
    }

    private static (long[] Ids, float[] Distances) Search(NeighborIndex index, float[] queries)
    {
        int n = queries.Length / index.Dimension;
        var ids = new long[n * 8];
        var distances = new float[n * 8];
        index.Search(queries, 8, ids, distances);
        return (ids, distances);
    }
}
