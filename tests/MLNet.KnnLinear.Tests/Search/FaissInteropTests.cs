using System.Runtime.InteropServices;
using MLNet.KnnLinear.Benchmarks;
using MLNet.KnnLinear.Tests.Support;

namespace MLNet.KnnLinear.Tests.Search;

/// <summary>
/// faiss interop with the real faiss (Debian's python3-faiss 1.7.3): files we write load in faiss and return our
/// neighbours; files faiss writes load here and return faiss' neighbours. Random float data, so no distance ties.
/// </summary>
public sealed class FaissInteropTests
{
    private const int Dimension = 12;
    private const int K = 10;

    [SkippableFact]
    public void OurFiles_LoadInFaiss_AndReturnOurNeighbours()
    {
        FaissPython.Require();
        string folder = Folder(out var rows, out var queries);
        var indexes = new Dictionary<string, NeighborIndex>
        {
            ["exact_l2"] = NeighborIndex.Build(rows, Dimension, KnnDistance.L2),
            ["exact_l1"] = NeighborIndex.Build(rows, Dimension, KnnDistance.L1),
            ["exact_cosine"] = NeighborIndex.Build(rows, Dimension, KnnDistance.Cosine),
            ["ivf_l2"] = NeighborIndex.Build(rows, Dimension, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 10, NumberOfProbes = 3 }),
            ["ivf_cosine"] = NeighborIndex.Build(rows, Dimension, KnnDistance.Cosine, new IvfIndexOptions { NumberOfLists = 10, NumberOfProbes = 3 }),
            ["hnsw_l2"] = NeighborIndex.Build(rows, Dimension, KnnDistance.L2, new HnswIndexOptions { MaxConnections = 8, ConstructionSearchSize = 40, SearchSize = 32 }),
            ["hnsw_cosine"] = NeighborIndex.Build(rows, Dimension, KnnDistance.Cosine, new HnswIndexOptions { MaxConnections = 8, ConstructionSearchSize = 40, SearchSize = 32 }),
            ["sq_exact_l2"] = NeighborIndex.Build(rows, Dimension, KnnDistance.L2, new ExactIndexOptions { Encoding = new ScalarQuantizerEncoding() }),
            ["sq_exact_cosine"] = NeighborIndex.Build(rows, Dimension, KnnDistance.Cosine, new ExactIndexOptions { Encoding = new ScalarQuantizerEncoding() }),
            ["sq_ivf_l2"] = NeighborIndex.Build(rows, Dimension, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 10, NumberOfProbes = 3, Encoding = new ScalarQuantizerEncoding() }),
            ["sq_ivf_cosine"] = NeighborIndex.Build(rows, Dimension, KnnDistance.Cosine, new IvfIndexOptions { NumberOfLists = 10, NumberOfProbes = 3, Encoding = new ScalarQuantizerEncoding() }),
            ["sq_hnsw_l2"] = NeighborIndex.Build(rows, Dimension, KnnDistance.L2, new HnswIndexOptions { MaxConnections = 8, ConstructionSearchSize = 40, SearchSize = 32, Encoding = new ScalarQuantizerEncoding() }),
            ["sq_hnsw_cosine"] = NeighborIndex.Build(rows, Dimension, KnnDistance.Cosine, new HnswIndexOptions { MaxConnections = 8, ConstructionSearchSize = 40, SearchSize = 32, Encoding = new ScalarQuantizerEncoding() }),
            ["pq_exact_l2"] = NeighborIndex.Build(rows, Dimension, KnnDistance.L2, new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = 4 } }),
            ["pq_exact_cosine"] = NeighborIndex.Build(rows, Dimension, KnnDistance.Cosine, new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = 4 } }),
            ["pq_ivf_l2"] = NeighborIndex.Build(rows, Dimension, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 10, NumberOfProbes = 3, Encoding = new ProductQuantizerEncoding { Subquantizers = 4 } }),
            ["pq_ivf_cosine"] = NeighborIndex.Build(rows, Dimension, KnnDistance.Cosine, new IvfIndexOptions { NumberOfLists = 10, NumberOfProbes = 3, Encoding = new ProductQuantizerEncoding { Subquantizers = 4 } }),
            // Re-ranked on the rows (IxRF around the codes, then a flat index of the rows).
            ["pq_rf_ivf_l2"] = NeighborIndex.Build(rows, Dimension, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 10, NumberOfProbes = 3, Encoding = new ProductQuantizerEncoding { Subquantizers = 4 }, RefineFactor = 4 }),
            ["pq_rf_exact_cosine"] = NeighborIndex.Build(rows, Dimension, KnnDistance.Cosine, new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = 4 }, RefineFactor = 2.5f }),
            ["sq_rf_ivf_l2"] = NeighborIndex.Build(rows, Dimension, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 10, NumberOfProbes = 3, Encoding = new ScalarQuantizerEncoding(), RefineFactor = 3 }),
            ["sq_rf_exact_cosine"] = NeighborIndex.Build(rows, Dimension, KnnDistance.Cosine, new ExactIndexOptions { Encoding = new ScalarQuantizerEncoding(), RefineFactor = 2 }),
        };
        // Ids of the user's and removed rows: written as IndexIDMap2 around the rows that remain.
        long[] ids = Enumerable.Range(0, 2000).Select(i => 5_000_000_000L + (3L * i)).ToArray();
        long[] gone = ids.Where((_, i) => i % 9 == 4).ToArray();
        var mapped = new Dictionary<string, NeighborIndex>
        {
            ["idmap_exact_l2"] = NeighborIndex.Create(Dimension, KnnDistance.L2),
            ["idmap_ivf_l2"] = NeighborIndex.Create(Dimension, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 10, NumberOfProbes = 3 }),
            ["idmap_hnsw_l2"] = NeighborIndex.Create(Dimension, KnnDistance.L2, new HnswIndexOptions { MaxConnections = 8, ConstructionSearchSize = 40, SearchSize = 32 }),
            ["removed_exact_cosine"] = NeighborIndex.Build(rows, Dimension, KnnDistance.Cosine),
            ["idmap_sq_exact_l2"] = NeighborIndex.Create(Dimension, KnnDistance.L2, new ExactIndexOptions { Encoding = new ScalarQuantizerEncoding() }),
            ["idmap_sq_ivf_l2"] = NeighborIndex.Create(Dimension, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 10, NumberOfProbes = 3, Encoding = new ScalarQuantizerEncoding() }),
            ["idmap_pq_exact_l2"] = NeighborIndex.Create(Dimension, KnnDistance.L2, new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = 4 } }),
            ["idmap_pq_ivf_l2"] = NeighborIndex.Create(Dimension, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 10, NumberOfProbes = 3, Encoding = new ProductQuantizerEncoding { Subquantizers = 4 } }),
            ["idmap_pq_rf_ivf_cosine"] = NeighborIndex.Create(Dimension, KnnDistance.Cosine, new IvfIndexOptions { NumberOfLists = 10, NumberOfProbes = 3, Encoding = new ProductQuantizerEncoding { Subquantizers = 4 }, RefineFactor = 4 }),
        };
        foreach (var (name, index) in mapped)
        {
            index.Train(rows);
            if (name.StartsWith("idmap", StringComparison.Ordinal))
            {
                index.Add(rows, ids);
            }

            if (!name.Contains("hnsw", StringComparison.Ordinal))
            {
                index.Remove(name.StartsWith("removed", StringComparison.Ordinal) ? [.. Enumerable.Range(0, 2000).Where(i => i % 9 == 4).Select(i => (long)i)] : gone);
            }
        }

        foreach (var (name, index) in indexes.Concat(mapped))
        {
            index.SaveFaiss(Path.Combine(folder, name + ".faiss"));
        }

        FaissPython.RunScript("search", folder);

        foreach (var (name, index) in mapped)
        {
            var ours = new long[40 * K];
            index.Search(queries, K, ours, new float[40 * K]);
            var theirs = Read<long>(Path.Combine(folder, name + ".ids"));
            if (name.Contains("hnsw", StringComparison.Ordinal))
            {
                RecallAtK.Of(ours, theirs, K).Should().BeGreaterThanOrEqualTo(0.95, $"faiss searching our {name} graph finds our neighbours, by our ids");
                continue;
            }

            if (name.Contains("pq", StringComparison.Ordinal))
            {
                // Product codes: faiss sums the same tables in another order, so a near tie may swap.
                RecallAtK.Of(ours, theirs, K).Should().BeGreaterThanOrEqualTo(0.99, $"faiss reads our {name} as an IndexIDMap2 and returns our ids");
                theirs.Should().NotContain(gone);
                continue;
            }

            theirs.Should().Equal(ours, $"faiss reads our {name} as an IndexIDMap2 and returns our ids");
            theirs.Should().NotContain(name.StartsWith("removed", StringComparison.Ordinal) ? [.. Enumerable.Range(0, 2000).Where(i => i % 9 == 4).Select(i => (long)i)] : gone);
        }

        foreach (var (name, index) in indexes)
        {
            var (ours, distances) = IvfIndexTests.Search(index, queries, K);
            var theirs = ReadIds(Path.Combine(folder, name + ".ids"));
            if (name.Contains("hnsw", StringComparison.Ordinal))
            {
                // faiss walks our graph with its own search loop (other tie and stop details): the same graph gives
                // nearly the same lists, not necessarily identical ones.
                IvfIndexTests.Recall(ours, theirs, K).Should().BeGreaterThanOrEqualTo(0.95, $"faiss searching our {name} graph finds our neighbours");
                continue;
            }

            var faissDistances = Read<float>(Path.Combine(folder, name + ".dist"));
            if (name.StartsWith("pq", StringComparison.Ordinal))
            {
                // Product codes: faiss sums the same tables in another order, so near ties may swap; where the
                // neighbour is the same, so is the distance (cosine codes are written as L2 of unit vectors, which
                // faiss reports squared: twice our ½‖q̂ − x̂‖²).
                IvfIndexTests.Recall(ours, theirs, K).Should().BeGreaterThanOrEqualTo(0.99, $"faiss searching our {name} file finds our neighbours");
                for (int i = 0; i < faissDistances.Length; i++)
                {
                    double expected = name.EndsWith("l2", StringComparison.Ordinal) ? distances[i] * (double)distances[i] : 2.0 * distances[i];
                    if (theirs[i] == ours[i])
                    {
                        faissDistances[i].Should().BeApproximately((float)expected, 1e-3f * (float)Math.Max(1, Math.Abs(expected)), $"{name} distance {i}");
                    }
                }

                continue;
            }

            theirs.Should().Equal(ours, $"faiss searching our {name} file finds our neighbours");
            for (int i = 0; i < faissDistances.Length; i++)
            {
                // faiss reports squared L2 and cosine similarity; ours are L2 and 1 − similarity.
                double expected = name.EndsWith("l2", StringComparison.Ordinal) ? distances[i] * (double)distances[i] : name.EndsWith("cosine", StringComparison.Ordinal) ? 1 - distances[i] : distances[i];
                faissDistances[i].Should().BeApproximately((float)expected, 1e-3f * (float)Math.Max(1, Math.Abs(expected)), $"{name} distance {i}");
            }
        }
    }

    [SkippableFact]
    public void FaissFiles_LoadHere_AndReturnFaissNeighbours()
    {
        FaissPython.Require();
        string folder = Folder(out _, out var queries);
        FaissPython.RunScript("build", folder);

        foreach (string name in new[] { "flat_l2", "flat_l1", "flat_ip", "ivf_l2", "ivf_ip", "hnsw_l2", "sq_flat_l2", "sq_flat_ip", "sq_ivf_l2", "sq_ivf_ip", "sq_hnsw_l2", "pq_flat_l2", "pq_flat_ip", "pq_ivf_l2", "pq_ivf_ip", "pq_rf_ivf_l2", "sq_rf_flat_ip" })
        {
            var index = NeighborIndex.LoadFaiss(Path.Combine(folder, $"faiss_{name}.faiss"));
            index.Count.Should().Be(2000);
            (index.Refined is not null).Should().Be(name.Contains("_rf_", StringComparison.Ordinal), $"{name} re-ranks on its rows where faiss' does (IndexRefineFlat)");
            index.Distance.Should().Be(name.EndsWith("l2", StringComparison.Ordinal) ? KnnDistance.L2 : name.EndsWith("l1", StringComparison.Ordinal) ? KnnDistance.L1 : KnnDistance.Cosine);
            var (ours, _) = IvfIndexTests.Search(index, queries, K);
            var theirs = ReadIds(Path.Combine(folder, $"faiss_{name}.ids"));
            if (name.Contains("hnsw", StringComparison.Ordinal))
            {
                IvfIndexTests.Recall(theirs, ours, K).Should().BeGreaterThanOrEqualTo(0.95, $"our search of faiss' {name} graph finds faiss' neighbours");
                continue;
            }

            if (name.StartsWith("pq", StringComparison.Ordinal))
            {
                IvfIndexTests.Recall(theirs, ours, K).Should().BeGreaterThanOrEqualTo(0.99, $"our search of faiss' {name} file finds faiss' neighbours (the same tables, summed in another order)");
                continue;
            }

            theirs.Should().Equal(ours, $"our search of faiss' {name} file finds faiss' neighbours");
        }

        foreach (string name in new[] { "idmap2_flat_l2", "idmap_ivf_l2", "idmap_hnsw_l2", "idmap_sq_ivf_l2", "idmap_pq_ivf_l2", "idmap_pq_rf_ivf_l2" })
        {
            var index = NeighborIndex.LoadFaiss(Path.Combine(folder, $"faiss_{name}.faiss"));
            index.Count.Should().Be(2000);
            var ours = new long[40 * K];
            index.Search(queries, K, ours, new float[40 * K]);
            var theirs = Read<long>(Path.Combine(folder, $"faiss_{name}.ids"));
            theirs.Should().OnlyContain(id => id >= 1_000_000_000_000L, "faiss returns the ids it was given");
            if (name.Contains("hnsw", StringComparison.Ordinal) || name.Contains("pq", StringComparison.Ordinal))
            {
                RecallAtK.Of(theirs, ours, K).Should().BeGreaterThanOrEqualTo(name.Contains("pq", StringComparison.Ordinal) ? 0.99 : 0.95, $"our search of faiss' {name} finds faiss' neighbours, by faiss' ids");
                continue;
            }

            ours.Should().Equal(theirs, $"our search of faiss' {name} returns faiss' ids");
            index.Remove([theirs[0]]).Should().Be(1, "a loaded id can be removed");
        }
    }

    [Fact]
    public void DamagedFiles_AreInvalidDataNamingTheProblem()
    {
        string folder = RepoPaths.NewTempDirectory();
        var rows = IvfIndexTests.Clustered(300, 4, centers: 5, seed: 1);
        string path = Path.Combine(folder, "ivf.faiss");
        NeighborIndex.Build(rows, 4, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 5, NumberOfProbes = 2 }).SaveFaiss(path);
        var bytes = File.ReadAllBytes(path);
        NeighborIndex.LoadFaiss(path).Count.Should().Be(300);

        File.WriteAllBytes(path, bytes[..(bytes.Length - 9)]);
        FluentActions.Invoking(() => NeighborIndex.LoadFaiss(path)).Should().Throw<InvalidDataException>().WithMessage("*ids: 50 entries of 8 bytes, but only 391 bytes are left*");

        var huge = bytes.ToArray();
        BitConverter.GetBytes(int.MaxValue - 1L).CopyTo(huge, 8); // ntotal
        File.WriteAllBytes(path, huge);
        FluentActions.Invoking(() => NeighborIndex.LoadFaiss(path)).Should().Throw<InvalidDataException>().WithMessage("*bytes are left*");

        var unknown = bytes.ToArray();
        "IxXX"u8.CopyTo(unknown);
        File.WriteAllBytes(path, unknown);
        FluentActions.Invoking(() => NeighborIndex.LoadFaiss(path)).Should().Throw<InvalidDataException>().WithMessage("*'IxXX'*");

        // A scalar-quantized file: cut short in its codes, or of a quantizer type this library does not read.
        NeighborIndex.Build(rows, 4, KnnDistance.L2, new ExactIndexOptions { Encoding = new ScalarQuantizerEncoding() }).SaveFaiss(path);
        var sq = File.ReadAllBytes(path);
        NeighborIndex.LoadFaiss(path).Count.Should().Be(300);
        File.WriteAllBytes(path, sq[..(sq.Length - 5)]);
        FluentActions.Invoking(() => NeighborIndex.LoadFaiss(path)).Should().Throw<InvalidDataException>().WithMessage("*codes: 1200 entries of 1 bytes, but only 1195 bytes are left*");
        var fourBit = sq.ToArray();
        BitConverter.GetBytes(1).CopyTo(fourBit, 4 + 4 + 8 + 8 + 8 + 1 + 4);   // qtype, after the header
        File.WriteAllBytes(path, fourBit);
        FluentActions.Invoking(() => NeighborIndex.LoadFaiss(path)).Should().Throw<InvalidDataException>().WithMessage("*quantizer's type is 1*QT_8bit (0)*");

        // A product-quantized file: cut short in its codes, of codes other than 8 bits, or with a sub-quantizer count
        // that does not divide the dimension.
        NeighborIndex.Build(rows, 4, KnnDistance.L2, new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = 2 } }).SaveFaiss(path);
        var pq = File.ReadAllBytes(path);
        NeighborIndex.LoadFaiss(path).Count.Should().Be(300);
        File.WriteAllBytes(path, pq[..(pq.Length - 14)]);   // the search settings (9 bytes) and 5 bytes of codes
        FluentActions.Invoking(() => NeighborIndex.LoadFaiss(path)).Should().Throw<InvalidDataException>().WithMessage("*codes: 600 entries of 1 bytes, but only 595 bytes are left*");
        var fourBitCodes = pq.ToArray();
        BitConverter.GetBytes(4UL).CopyTo(fourBitCodes, 4 + 33 + 16);   // nbits, after the header, d and M
        File.WriteAllBytes(path, fourBitCodes);
        FluentActions.Invoking(() => NeighborIndex.LoadFaiss(path)).Should().Throw<InvalidDataException>().WithMessage("*4-bit codes*nbits = 8*");
        var threeSubspaces = pq.ToArray();
        BitConverter.GetBytes(3UL).CopyTo(threeSubspaces, 4 + 33 + 8);   // M
        File.WriteAllBytes(path, threeSubspaces);
        FluentActions.Invoking(() => NeighborIndex.LoadFaiss(path)).Should().Throw<InvalidDataException>().WithMessage("*3 sub-quantizers*");
        NeighborIndex.Build(rows, 4, KnnDistance.L2, new IvfIndexOptions { NumberOfLists = 5, NumberOfProbes = 2, Encoding = new ProductQuantizerEncoding { Subquantizers = 2 } }).SaveFaiss(path);
        var ivfPq = File.ReadAllBytes(path);
        NeighborIndex.LoadFaiss(path).Count.Should().Be(300);
        File.WriteAllBytes(path, ivfPq[..(ivfPq.Length - 30)]);
        FluentActions.Invoking(() => NeighborIndex.LoadFaiss(path)).Should().Throw<InvalidDataException>().WithMessage("*bytes are left*");

        // A re-ranked file: k_factor outside faiss' [1, 1000], a refine index of another row count, or cut short.
        NeighborIndex.Build(rows, 4, KnnDistance.L2, new ExactIndexOptions { Encoding = new ScalarQuantizerEncoding(), RefineFactor = 3 }).SaveFaiss(path);
        var refined = File.ReadAllBytes(path);
        NeighborIndex.LoadFaiss(path).Refined!.Factor.Should().Be(3);
        var smallFactor = refined.ToArray();
        BitConverter.GetBytes(0.5f).CopyTo(smallFactor, smallFactor.Length - 4);
        File.WriteAllBytes(path, smallFactor);
        FluentActions.Invoking(() => NeighborIndex.LoadFaiss(path)).Should().Throw<InvalidDataException>().WithMessage("*k_factor is 0.5*[1, 1000]*");
        File.WriteAllBytes(path, refined[..(refined.Length - 2)]);
        FluentActions.Invoking(() => NeighborIndex.LoadFaiss(path)).Should().Throw<InvalidDataException>().WithMessage("*truncated*");
        var fewerRows = refined.ToArray();
        int flatStart = refined.Length - 4 - (300 * 4 * 4) - 8 - 33 - 4;   // k_factor, rows, their count, header, code
        System.Text.Encoding.ASCII.GetString(fewerRows, flatStart, 4).Should().Be("IxF2");
        BitConverter.GetBytes(299L).CopyTo(fewerRows, flatStart + 8);   // the refine index's ntotal
        File.WriteAllBytes(path, fewerRows);
        FluentActions.Invoking(() => NeighborIndex.LoadFaiss(path)).Should().Throw<InvalidDataException>();
        var flatBase = refined.ToArray();
        "IxF2"u8.CopyTo(flatBase.AsSpan(4 + 33));   // the base record's code: a flat index is not one of codes
        File.WriteAllBytes(path, flatBase);
        FluentActions.Invoking(() => NeighborIndex.LoadFaiss(path)).Should().Throw<InvalidDataException>();

        var l1 = NeighborIndex.Build(rows, 4, KnnDistance.L1, new IvfIndexOptions { NumberOfLists = 5, NumberOfProbes = 2 });
        FluentActions.Invoking(() => l1.SaveFaiss(path)).Should().Throw<NotSupportedException>().WithMessage("*L1 inverted file*");
    }

    [Theory]
    [InlineData("exact")]
    [InlineData("hnsw")]
    public void FlatStorage_IsWrittenAndReadInChunks_AndComesBackTheSame(string kind)
    {
        // 1,400 × 3,072 = 4.3 M floats: past the reader's 4 Mi-float chunk, so rows cross a chunk boundary; written row
        // by row, with no array of all the rows.
        const int d = 3072;
        var random = new Random(21);
        var rows = Enumerable.Range(0, 1_400 * d).Select(_ => (float)random.NextDouble()).ToArray();
        var index = kind == "exact"
            ? NeighborIndex.Build(rows, d, KnnDistance.L2)
            : NeighborIndex.Build(rows, d, KnnDistance.L2, new HnswIndexOptions { MaxConnections = 8, ConstructionSearchSize = 32, SearchSize = 32 });
        var file = new MemoryStream();
        index.SaveFaiss(file);
        file.Length.Should().BeGreaterThan(4L * 1_400 * d);
        file.Position = 0;
        var loaded = NeighborIndex.LoadFaiss(file);

        loaded.Count.Should().Be(1_400);
        var row = new float[d];
        foreach (int r in new[] { 0, 1_364, 1_365, 1_399 })   // a read chunk holds 4,194,304 / 3,072 = 1,365 whole rows: 1,364 ends the first, 1,365 begins the second
        {
            loaded.CopyRow(r, row);
            row.Should().Equal(rows.AsSpan(r * d, d).ToArray(), $"row {r}");
        }

        var queries = rows.AsSpan(700 * d, 3 * d).ToArray();
        IvfIndexTests.Search(loaded, queries, 5).Should().BeEquivalentTo(IvfIndexTests.Search(index, queries, 5), o => o.WithStrictOrdering());
    }

    private static string Folder(out float[] rows, out float[] queries)
    {
        string folder = RepoPaths.NewTempDirectory();
        var random = new Random(11);
        rows = Enumerable.Range(0, 2000 * Dimension).Select(_ => (float)((random.NextDouble() * 2) - 0.5)).ToArray();
        queries = Enumerable.Range(0, 40 * Dimension).Select(_ => (float)((random.NextDouble() * 2) - 0.5)).ToArray();
        File.WriteAllBytes(Path.Combine(folder, "rows.f32"), MemoryMarshal.AsBytes(rows.AsSpan()).ToArray());
        File.WriteAllBytes(Path.Combine(folder, "queries.f32"), MemoryMarshal.AsBytes(queries.AsSpan()).ToArray());
        File.WriteAllText(Path.Combine(folder, "k.txt"), K.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.WriteAllText(Path.Combine(folder, "d.txt"), Dimension.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return folder;
    }

    private static int[] ReadIds(string path) => [.. Read<long>(path).Select(id => (int)id)];

    private static T[] Read<T>(string path)
        where T : unmanaged
        => MemoryMarshal.Cast<byte, T>(File.ReadAllBytes(path)).ToArray();
}
