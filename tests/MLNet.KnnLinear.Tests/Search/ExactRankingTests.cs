using MLNet.KnnLinear.Search;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Search;

/// <summary>
/// Exactness where float rounding would hide the order: on pixel rows, squared L2 (about 10^7) and L1 sums of large
/// images (past 2^24) are integers that float32 cannot tell apart when they differ by 1. Each test builds such near
/// ties on purpose, with the farther row numbered first, so ranking by a rounded value (which then breaks the tie by
/// row number) returns the wrong row, and checks against an int64 reference.
/// </summary>
public sealed class ExactRankingTests
{
    [Theory]
    [InlineData(KnnDistance.L2)]
    [InlineData(KnnDistance.Cosine)]
    [InlineData(KnnDistance.L1)]
    public void Search_AQuerysNeighbours_AreTheSameAloneAndInAnyBatch(KnnDistance distance)
    {
        const int dimension = 3072;
        var (rows, queries) = NearTies(pairs: 24, dimension, seed: 1);
        var index = NeighborIndex.Build(rows, dimension, distance);

        // Fractional queries in the same batch: before, one of them switched the whole batch to float ranking.
        var fractional = new float[3 * dimension];
        var random = new Random(2);
        for (int i = 0; i < fractional.Length; i++)
        {
            fractional[i] = (float)(random.NextDouble() * 255);
        }

        int n = queries.Length / dimension;
        var mixed = new float[queries.Length + fractional.Length];
        fractional.AsSpan(0, dimension).CopyTo(mixed);
        queries.AsSpan(0, n / 2 * dimension).CopyTo(mixed.AsSpan(dimension));
        fractional.AsSpan(dimension).CopyTo(mixed.AsSpan((1 + (n / 2)) * dimension));
        queries.AsSpan(n / 2 * dimension).CopyTo(mixed.AsSpan((3 + (n / 2)) * dimension));
        int[] order = [-1, .. Enumerable.Range(0, n / 2), -2, -3, .. Enumerable.Range(n / 2, n - (n / 2))];

        const int k = 2;
        var batchRows = new int[order.Length * k];
        var batchDistances = new float[order.Length * k];
        index.Search(mixed, k, batchRows, batchDistances);
        for (int slot = 0; slot < order.Length; slot++)
        {
            var query = mixed.AsSpan(slot * dimension, dimension);
            var aloneRows = new int[k];
            var aloneDistances = new float[k];
            index.Search(query, k, aloneRows, aloneDistances);
            batchRows.AsSpan(slot * k, k).ToArray().Should().Equal(aloneRows, $"query in slot {slot} alone and in the mixed batch");
            batchDistances.AsSpan(slot * k, k).ToArray().Should().Equal(aloneDistances, $"query in slot {slot} alone and in the mixed batch");
            if (order[slot] >= 0 && distance != KnnDistance.Cosine)
            {
                aloneRows.Should().Equal(Reference(rows, dimension, query, distance, k), $"near-tie pair {order[slot]}: int64 reference");
            }
        }
    }

    [Fact]
    public void L1_On224x224x3Bytes_EqualsAnInt64Reference()
    {
        const int dimension = 224 * 224 * 3;
        var (rows, queries) = NearTies(pairs: 6, dimension, seed: 3, far: true);
        var index = NeighborIndex.Build(rows, dimension, KnnDistance.L1);
        int n = queries.Length / dimension;
        var found = new int[n * 3];
        var distances = new float[n * 3];
        index.Search(queries, 3, found, distances);
        for (int q = 0; q < n; q++)
        {
            var query = queries.AsSpan(q * dimension, dimension);
            var expected = Reference(rows, dimension, query, KnnDistance.L1, 3);
            found.AsSpan(q * 3, 3).ToArray().Should().Equal(expected, $"query {q}: sums above 2^24 differ by 1 within the pair");
            for (int i = 0; i < 3; i++)
            {
                distances[(q * 3) + i].Should().Be((float)Int64Distance(rows.AsSpan(expected[i] * dimension, dimension), query, KnnDistance.L1));
            }
        }
    }

    [Theory]
    [InlineData(KnnDistance.L2)]
    [InlineData(KnnDistance.L1)]
    public void Ivf_ProbingEveryList_EqualsExact_OnNearTiesOfPixelRows(KnnDistance distance)
    {
        const int dimension = 3072;
        var (rows, queries) = NearTies(pairs: 40, dimension, seed: 4);
        var exact = NeighborIndex.Build(rows, dimension, distance);
        var ivf = NeighborIndex.Build(rows, dimension, distance, new IvfIndexOptions { NumberOfLists = 8, NumberOfProbes = 8 });
        int n = queries.Length / dimension;
        var (exactRows, exactDistances) = (new int[n * 2], new float[n * 2]);
        var (ivfRows, ivfDistances) = (new int[n * 2], new float[n * 2]);
        exact.Search(queries, 2, exactRows, exactDistances);
        ivf.Search(queries, 2, ivfRows, ivfDistances);

        ivfRows.Should().Equal(exactRows, "lists merge on exact ranking keys, not on rounded distances");
        ivfDistances.Should().Equal(exactDistances);
        for (int q = 0; q < n; q++)
        {
            exactRows.AsSpan(q * 2, 2).ToArray().Should().Equal(Reference(rows, dimension, queries.AsSpan(q * dimension, dimension), distance, 2));
        }
    }

    [Fact]
    public void Ivf_ProbingEveryList_EqualsExact_OnCifar10Pixels()
    {
        const int dimension = 3072;
        var (rows, _) = Cifar10Data.Read(2000, "data_batch_1.bin", "data_batch_2.bin");
        var (queries, _) = Cifar10Data.Read(200, "test_batch.bin");
        foreach (var distance in new[] { KnnDistance.L2, KnnDistance.L1, KnnDistance.Cosine })
        {
            var exact = NeighborIndex.Build(rows, dimension, distance);
            var ivf = NeighborIndex.Build(rows, dimension, distance, new IvfIndexOptions { NumberOfLists = 16, NumberOfProbes = 16 });
            var (exactRows, exactDistances) = (new int[200 * 10], new float[200 * 10]);
            var (ivfRows, ivfDistances) = (new int[200 * 10], new float[200 * 10]);
            exact.Search(queries, 10, exactRows, exactDistances);
            ivf.Search(queries, 10, ivfRows, ivfDistances);
            ivfRows.Should().Equal(exactRows, $"{distance}: every list probed");
            ivfDistances.Should().Equal(exactDistances, $"{distance}: every list probed");
        }
    }

    /// <summary>
    /// Per pair p: a query of random bytes, a row A at some distance and a row B equal to A but one step farther (one
    /// value of A equal to the query's is moved by 1: +1 to the L1 sum and to the squared L2). B is numbered before A.
    /// <paramref name="far"/> puts the queries near 0 and the rows near 255, so that L1 sums pass 2^24 (about 3.5 × 10^7
    /// for 224 × 224 × 3 values), where float32 counts in steps of 2 and more.
    /// </summary>
    private static (float[] Rows, float[] Queries) NearTies(int pairs, int dimension, int seed, bool far = false)
    {
        var random = new Random(seed);
        var rows = new float[2L * pairs * dimension];
        var queries = new float[(long)pairs * dimension];
        for (int p = 0; p < pairs; p++)
        {
            var query = queries.AsSpan(p * dimension, dimension);
            var b = rows.AsSpan(2 * p * dimension, dimension);
            var a = rows.AsSpan(((2 * p) + 1) * dimension, dimension);
            for (int i = 0; i < dimension; i++)
            {
                query[i] = far ? random.Next(1, 21) : random.Next(1, 255);
                a[i] = far ? random.Next(235, 256) : random.Next(256);
            }

            int same = random.Next(dimension);
            a[same] = query[same];
            a.CopyTo(b);
            b[same] = query[same] + 1;
        }

        return (rows, queries);
    }

    private static int[] Reference(float[] rows, int dimension, ReadOnlySpan<float> query, KnnDistance distance, int k)
    {
        int count = rows.Length / dimension;
        var keyed = new (long Key, int Row)[count];
        for (int r = 0; r < count; r++)
        {
            keyed[r] = (Int64Distance(rows.AsSpan(r * dimension, dimension), query, distance), r);
        }

        return keyed.OrderBy(x => x.Key).ThenBy(x => x.Row).Take(k).Select(x => x.Row).ToArray();
    }

    /// <summary>The L1 sum or the squared L2 distance of whole-number vectors, in int64.</summary>
    private static long Int64Distance(ReadOnlySpan<float> row, ReadOnlySpan<float> query, KnnDistance distance)
    {
        long sum = 0;
        for (int i = 0; i < row.Length; i++)
        {
            long d = (long)row[i] - (long)query[i];
            sum += distance == KnnDistance.L1 ? Math.Abs(d) : d * d;
        }

        return sum;
    }
}
