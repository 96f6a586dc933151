using MLNet.KnnLinear.Kernels;
using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear.Tests.Search;

public sealed class FlatIndexTests
{
    public static TheoryData<KnnDistance, int> Cases()
    {
        var data = new TheoryData<KnnDistance, int>();
        foreach (var distance in Enum.GetValues<KnnDistance>())
        {
            foreach (int k in new[] { 1, 3, 7 })
            {
                data.Add(distance, k);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FlatIndex_Search_EqualsBruteForceScalarReference(KnnDistance distance, int k)
    {
        const int dim = 19;
        var rows = WholeNumbers(300 * dim, seed: 1);
        var queries = WholeNumbers(37 * dim, seed: 2);
        var index = new FlatIndex(dim, distance);
        index.Add(rows);

        var (distances, found) = Search(index, queries, k);

        for (int q = 0; q < 37; q++)
        {
            var query = queries.AsSpan(q * dim, dim).ToArray();
            var expected = Enumerable.Range(0, 300)
                .Select(r => (Distance: Reference(distance, query, rows.AsSpan(r * dim, dim).ToArray()), Row: r))
                .OrderBy(p => p.Distance).ThenBy(p => p.Row).Take(k).ToArray();
            if (distance != KnnDistance.Cosine)
            {
                // Whole-number data makes L1 and L2 exact, so even tied rows must come in the same order.
                found.AsSpan(q * k, k).ToArray().Should().Equal(expected.Select(e => e.Row), $"query {q}");
            }

            for (int i = 0; i < k; i++)
            {
                distances[(q * k) + i].Should().BeApproximately(expected[i].Distance, 1e-4f);
            }
        }
    }

    [Theory]
    [InlineData(KnnDistance.L1)]
    [InlineData(KnnDistance.L2)]
    public void FlatIndex_ThreadCountAndFewQueries_GiveIdenticalResults(KnnDistance distance)
    {
        const int dim = 8;
        var rows = WholeNumbers(9000 * dim, seed: 3, range: 4);
        var queries = WholeNumbers(3 * dim, seed: 4, range: 4);
        var single = new FlatIndex(rows.ToArray(), dim, distance, maxThreads: 1);
        var dual = new FlatIndex(rows.ToArray(), dim, distance, maxThreads: 2);

        // Three queries on two threads take the row-splitting path; one thread scans everything in order.
        Search(dual, queries, 5).Should().BeEquivalentTo(Search(single, queries, 5), o => o.WithStrictOrdering());
    }

    [Fact]
    public void FlatIndex_PixelRowsWithL1_StoredAsBytesAndNonByteQueriesStillExact()
    {
        const int dim = 70;
        var rows = WholeNumbers(500 * dim, seed: 5, range: 256);
        var index = new FlatIndex(rows, dim, KnnDistance.L1);
        index.StoresBytes.Should().BeTrue("every value is a whole number in [0, 255]");

        var queries = WholeNumbers(9 * dim, seed: 6, range: 256);
        queries[3] = 0.5f; // one non-byte value sends this batch down the float fallback
        var (_, found) = Search(index, queries, 3);
        var (_, foundAsBytes) = Search(index, queries.Select(v => MathF.Round(v)).ToArray(), 3);

        for (int q = 0; q < 9; q++)
        {
            var query = queries.AsSpan(q * dim, dim).ToArray();
            var expected = Enumerable.Range(0, 500)
                .Select(r => (Distance: ScalarDistances.L1(query, rows.AsSpan(r * dim, dim).ToArray()), Row: r))
                .OrderBy(p => p.Distance).ThenBy(p => p.Row).Take(3).Select(p => p.Row);
            found.AsSpan(q * 3, 3).ToArray().Should().Equal(expected, $"query {q}");
        }

        foundAsBytes.Length.Should().Be(27);
    }

    [Fact]
    public void FlatIndex_RowsAddedAfterSearch_AreFound()
    {
        var index = new FlatIndex(2, KnnDistance.L2);
        index.Add([0f, 0f, 10f, 10f]);
        Search(index, [9f, 9f], 1).Rows.Should().Equal(1);
        index.Add([9f, 9f]);
        Search(index, [9f, 9f], 1).Rows.Should().Equal(2);
        index.Count.Should().Be(3);
    }

    [Fact]
    public void FlatIndex_KLargerThanRows_FillsWithMinusOne()
    {
        // As faiss: an index that grows (or starts empty) may hold fewer rows than k; the rest is row −1, distance +∞.
        var index = new FlatIndex(new float[6], 2, KnnDistance.L2);
        var (distances, rows) = Search(index, new float[2], 4);
        rows.Should().Equal(0, 1, 2, -1);
        distances.Should().Equal(0f, 0f, 0f, float.PositiveInfinity);
        FluentActions.Invoking(() => index.Search(new float[2], 0, new float[4], new int[4])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("k");
    }

    private static (float[] Distances, int[] Rows) Search(FlatIndex index, float[] queries, int k)
    {
        int n = queries.Length / index.Dimension;
        var distances = new float[n * k];
        var rows = new int[n * k];
        index.Search(queries, k, distances, rows);
        return (distances, rows);
    }

    private static float Reference(KnnDistance distance, float[] a, float[] b) => distance switch
    {
        KnnDistance.L1 => ScalarDistances.L1(a, b),
        KnnDistance.L2 => MathF.Sqrt(ScalarDistances.SquaredL2(a, b)),
        _ => ScalarDistances.Cosine(a, b),
    };

    private static float[] WholeNumbers(int count, int seed, int range = 10)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)random.Next(range)).ToArray();
    }
}
