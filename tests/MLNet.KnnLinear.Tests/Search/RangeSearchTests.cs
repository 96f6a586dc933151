namespace MLNet.KnnLinear.Tests.Search;

/// <summary>Range search (faiss' range_search) against a brute-force reference computed here in double.</summary>
public sealed class RangeSearchTests
{
    [Theory]
    [InlineData(KnnDistance.L2, 15.0f)]
    [InlineData(KnnDistance.L1, 38.0f)]
    [InlineData(KnnDistance.Cosine, 0.02f)]
    public void SearchRadius_ExactIndex_GivesEveryRowWithinTheRadius_NearestFirst(KnnDistance distance, float radius)
    {
        const int dimension = 8;
        var rows = IvfIndexTests.Clustered(3000, dimension, centers: 6, seed: 1);
        var queries = IvfIndexTests.Clustered(25, dimension, centers: 6, seed: 2);
        var index = NeighborIndex.Build(rows, dimension, distance);
        var result = index.SearchRadius(queries, radius);

        result.Limits.Should().HaveCount(26);
        result.Limits[^1].Should().Be(result.Ids.Count);
        result.Ids.Count.Should().BeGreaterThan(25 * 64, "the radius holds more than the first k = 64 of most queries, so the search widened");
        for (int q = 0; q < 25; q++)
        {
            var query = queries.AsSpan(q * dimension, dimension).ToArray();
            var expected = Enumerable.Range(0, 3000)
                .Select(r => (Row: (long)r, D: Reference(rows.AsSpan(r * dimension, dimension).ToArray(), query, distance)))
                .Where(x => x.D < radius - (1e-4 * Math.Max(1, radius)))
                .Select(x => x.Row)
                .ToHashSet();
            var got = result.Ids.Skip((int)result.Limits[q]).Take((int)(result.Limits[q + 1] - result.Limits[q])).ToList();
            got.Should().Contain(expected, $"query {q}: every row clearly inside the radius");
            got.Count.Should().BeLessThanOrEqualTo(expected.Count + 3, "no row clearly outside (a few within float rounding of the radius may be in)");
            var distances = result.Distances.Skip((int)result.Limits[q]).Take(got.Count).ToList();
            distances.Should().BeInAscendingOrder().And.OnlyContain(d => d < radius);
        }
    }

    [Fact]
    public void SearchRadius_SkipsRemovedRows_AndAnIvfProbingEveryListEqualsExact()
    {
        const int dimension = 8;
        var rows = IvfIndexTests.Clustered(2000, dimension, centers: 8, seed: 3);
        var queries = IvfIndexTests.Clustered(10, dimension, centers: 8, seed: 4);
        var exact = NeighborIndex.Build(rows, dimension, KnnDistance.L2);
        var ivf = NeighborIndex.Build(rows, dimension, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 8, NumberOfProbes = 8 });
        var a = exact.SearchRadius(queries, 5f);
        var b = ivf.SearchRadius(queries, 5f);
        b.Ids.Should().Equal(a.Ids);
        b.Limits.Should().Equal(a.Limits);

        var gone = a.Ids.Take(40).ToArray();
        exact.Remove(gone).Should().Be(gone.Distinct().LongCount());
        exact.SearchRadius(queries, 5f).Ids.Should().NotContain(gone);
        exact.SearchRadius(queries, 0f).Ids.Should().BeEmpty("nothing is strictly closer than 0");
        FluentActions.Invoking(() => exact.SearchRadius(queries, float.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("radius");
        FluentActions.Invoking(() => exact.SearchRadius(queries.AsSpan(1).ToArray(), 1f)).Should().Throw<ArgumentException>().WithParameterName("queries");
        NeighborIndex.Create(dimension, KnnDistance.L2).SearchRadius(queries, 5f).Ids.Should().BeEmpty("an empty index");
    }

    private static double Reference(float[] row, float[] query, KnnDistance distance)
    {
        double sum = 0, dot = 0, rowNorm = 0, queryNorm = 0;
        for (int i = 0; i < row.Length; i++)
        {
            double d = (double)row[i] - query[i];
            sum += distance == KnnDistance.L1 ? Math.Abs(d) : d * d;
            dot += (double)row[i] * query[i];
            rowNorm += (double)row[i] * row[i];
            queryNorm += (double)query[i] * query[i];
        }

        return distance switch
        {
            KnnDistance.L2 => Math.Sqrt(sum),
            KnnDistance.L1 => sum,
            _ => 1 - (dot / Math.Sqrt(rowNorm * queryNorm)),
        };
    }
}
