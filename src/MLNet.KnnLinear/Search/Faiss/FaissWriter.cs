using System.Numerics.Tensors;
using MLNet.KnnLinear.Search.Hnsw;
using MLNet.KnnLinear.Search.Ivf;

namespace MLNet.KnnLinear.Search.Faiss;

/// <summary>
/// Writes an index in faiss' binary format (as faiss 1.7.3's <c>write_index</c>; the layout is unchanged in later
/// versions): little-endian, no padding; each record a four-character code, the common header (dimension, row count,
/// two reserved 2²⁰ values, trained flag, metric, and the metric argument when the metric is neither inner product nor
/// L2), then its body. Exact L2 is <c>IxF2</c>, exact L1 <c>IxFl</c>; cosine is written as inner product
/// (<c>IxFI</c>) on unit-length rows. An inverted file is <c>IwFl</c>: list and probe counts, its quantizer record,
/// an empty direct map, and array inverted lists (<c>ilar</c>, <c>full</c>: every list's size, then each non-empty
/// list's vectors and int64 row numbers).
/// </summary>
internal static class FaissWriter
{
    public const int MetricInnerProduct = 0;
    public const int MetricL2 = 1;
    public const int MetricL1 = 2;
    private const long Reserved = 1L << 20;

    public static void Write(NeighborIndex index, Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.ASCII, leaveOpen: true);
        if (index.Ivf is { } ivf)
        {
            WriteInvertedFile(writer, ivf);
        }
        else if (index.Hnsw is { } hnsw)
        {
            WriteHnsw(writer, hnsw);
        }
        else
        {
            var exact = index.Exact!;
            var rows = new float[(long)exact.Count * exact.Dimension];
            for (int r = 0; r < exact.Count; r++)
            {
                exact.CopyRow(r, rows.AsSpan(r * exact.Dimension, exact.Dimension));
            }

            WriteFlat(writer, rows, exact.Dimension, exact.Distance);
        }
    }

    private static void WriteFlat(BinaryWriter writer, float[] rows, int dimension, KnnDistance distance)
    {
        int metric = Metric(distance);
        if (distance == KnnDistance.Cosine)
        {
            UnitRows.Normalize(rows, dimension);
        }

        writer.Write(System.Text.Encoding.ASCII.GetBytes(metric switch { MetricL2 => "IxF2", MetricInnerProduct => "IxFI", _ => "IxFl" }));
        WriteHeader(writer, dimension, rows.Length / dimension, metric);
        writer.Write((ulong)rows.Length);
        WriteFloats(writer, rows);
    }

    private static void WriteInvertedFile(BinaryWriter writer, IvfFlatIndex ivf)
    {
        if (ivf.Distance == KnnDistance.L1)
        {
            throw new NotSupportedException("faiss' IndexIVFFlat searches by L2 or inner product only, so an L1 inverted file has no faiss form; save an exact L1 index, or build the inverted file with L2 or cosine.");
        }

        int metric = Metric(ivf.Distance);
        int d = ivf.Dimension;
        writer.Write("IwFl"u8);
        WriteHeader(writer, d, ivf.Count, metric);
        writer.Write((ulong)ivf.NumberOfLists);
        writer.Write((ulong)ivf.NumberOfProbes);
        WriteFlat(writer, ivf.Centroids.ToArray(), d, ivf.Distance);

        // Direct map: none (faiss can make one with make_direct_map after loading).
        writer.Write((byte)0);
        writer.Write(0UL);

        writer.Write("ilar"u8);
        writer.Write((ulong)ivf.NumberOfLists);
        writer.Write((ulong)(4L * d));
        writer.Write("full"u8);
        writer.Write((ulong)ivf.NumberOfLists);
        for (int l = 0; l < ivf.NumberOfLists; l++)
        {
            writer.Write((ulong)ivf.ListRows(l).Length);
        }

        for (int l = 0; l < ivf.NumberOfLists; l++)
        {
            var ids = ivf.ListRows(l);
            if (ids.IsEmpty)
            {
                continue;
            }

            var values = ivf.ListValues(l);
            if (ivf.Distance == KnnDistance.Cosine)
            {
                UnitRows.Normalize(values, d);
            }

            WriteFloats(writer, values);
            foreach (int id in ids)
            {
                writer.Write((long)id);
            }
        }
    }

    /// <summary>
    /// <c>IHNf</c>: level probabilities and cumulative link counts (faiss' default tables for M, extended to the top
    /// layer), each node's layer count, slot offsets, the link slots (our layout is faiss'), entry point, top layer,
    /// efConstruction, efSearch, upper beam 1, then the rows as a flat record.
    /// </summary>
    private static void WriteHnsw(BinaryWriter writer, HnswIndex hnsw)
    {
        if (hnsw.Distance == KnnDistance.L1)
        {
            throw new NotSupportedException("faiss 1.7.3's IndexHNSWFlat is written for L2 or inner product; an L1 HNSW graph has no faiss form. Save an exact L1 index instead.");
        }

        int metric = Metric(hnsw.Distance);
        int m = hnsw.M;
        var (probabilities, cumulative) = LevelTables(m, hnsw.MaxLevel + 1);
        writer.Write("IHNf"u8);
        WriteHeader(writer, hnsw.Dimension, hnsw.Count, metric);
        writer.Write((ulong)probabilities.Count);
        foreach (double p in probabilities)
        {
            writer.Write(p);
        }

        writer.Write((ulong)cumulative.Count);
        foreach (int c in cumulative)
        {
            writer.Write(c);
        }

        writer.Write((ulong)hnsw.Count);
        foreach (int level in hnsw.Levels)
        {
            writer.Write(level + 1);
        }

        writer.Write((ulong)(hnsw.Count + 1));
        ulong offset = 0;
        writer.Write(offset);
        foreach (int level in hnsw.Levels)
        {
            offset += (ulong)cumulative[level + 1];
            writer.Write(offset);
        }

        writer.Write((ulong)hnsw.Links.Length);
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(hnsw.Links));
        writer.Write(hnsw.Entry);
        writer.Write(hnsw.MaxLevel);
        writer.Write(hnsw.ConstructionSearchSize);
        writer.Write(hnsw.SearchSize);
        writer.Write(1); // upper_beam: faiss 1.7.3 needs 1
        WriteFlat(writer, hnsw.Rows.ToArray(), hnsw.Dimension, hnsw.Distance);
    }

    /// <summary>faiss' set_default_probas(M, 1 / ln M), with at least <paramref name="levels"/> levels.</summary>
    private static (List<double> Probabilities, List<int> Cumulative) LevelTables(int m, int levels)
    {
        float levelMult = (float)(1.0 / Math.Log(m));
        var probabilities = new List<double>();
        var cumulative = new List<int> { 0 };
        int links = 0;
        for (int level = 0; ; level++)
        {
            float x = (float)(-level / levelMult);
            float x1 = (float)(-1 / levelMult);
            float p = (float)(Math.Exp(x) * (1 - Math.Exp(x1)));
            if (p < 1e-9 && level >= levels)
            {
                break;
            }

            probabilities.Add(p);
            links += level == 0 ? 2 * m : m;
            cumulative.Add(links);
        }

        return (probabilities, cumulative);
    }

    private static void WriteHeader(BinaryWriter writer, int dimension, long count, int metric)
    {
        writer.Write(dimension);
        writer.Write(count);
        writer.Write(Reserved);
        writer.Write(Reserved);
        writer.Write((byte)1); // trained
        writer.Write(metric);
        if (metric > MetricL2)
        {
            writer.Write(0f); // the metric argument (used by Lp only)
        }
    }

    private static int Metric(KnnDistance distance) => distance switch
    {
        KnnDistance.L2 => MetricL2,
        KnnDistance.L1 => MetricL1,
        _ => MetricInnerProduct,
    };

    private static void WriteFloats(BinaryWriter writer, ReadOnlySpan<float> values)
        => writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
}
