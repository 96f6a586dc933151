using System.Numerics.Tensors;
using MLNet.KnnLinear.Search.Hnsw;
using MLNet.KnnLinear.Search.Ivf;
using MLNet.KnnLinear.Search.Quantization;

namespace MLNet.KnnLinear.Search.Faiss;

/// <summary>
/// Writes an index in faiss' binary format (as faiss 1.7.3's <c>write_index</c>; the layout is unchanged in later
/// versions): little-endian, no padding; each record a four-character code, the common header (dimension, row count,
/// two reserved 2²⁰ values, trained flag, metric, and the metric argument when the metric is neither inner product nor
/// L2), then its body. Exact L2 is <c>IxF2</c>, exact L1 <c>IxFl</c>; cosine is written as inner product
/// (<c>IxFI</c>) on unit-length rows. An inverted file is <c>IwFl</c>: list and probe counts, its quantizer record,
/// an empty direct map, and array inverted lists (<c>ilar</c>, <c>full</c>: every list's size, then each non-empty
/// list's vectors and int64 row numbers). Scalar-quantized indexes are <c>IxSQ</c> (the quantizer record, then the
/// codes) and <c>IwSq</c> (as <c>IwFl</c>, with the quantizer record, code size and by-residual flag before the lists,
/// which hold codes).
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
        if (index.HasUserIds || index.HasRemovedRows)
        {
            WriteIdMap(writer, index);
            return;
        }

        if (index.Ivf is { } ivf)
        {
            WriteInvertedFile(writer, ivf);
        }
        else if (index.Hnsw is { } hnsw)
        {
            WriteHnsw(writer, hnsw);
        }
        else if (index.Exact is { Quantizer: { } quantizer } encoded)
        {
            WriteScalarQuantized(writer, encoded.Dimension, encoded.Distance, quantizer, encoded.Count, encoded.CopyCode);
        }
        else
        {
            var exact = index.Exact!;
            WriteFlat(writer, exact.Count, exact.Dimension, exact.Distance, exact.CopyRow);
        }
    }

    /// <summary>
    /// <c>IxM2</c> (faiss' IndexIDMap2): the common header, the inner index holding the rows that remain (removed rows
    /// left out, the others renumbered 0, 1, … in row order), then the int64 id of each of them (the user's ids, or
    /// the row numbers of an index that has none).
    /// </summary>
    private static void WriteIdMap(BinaryWriter writer, NeighborIndex index)
    {
        var inner = index.Inner;
        var position = new int[inner.Count];
        var ids = new List<long>(index.Count);
        for (int row = 0; row < inner.Count; row++)
        {
            position[row] = index.IsRemoved(row) ? -1 : ids.Count;
            if (position[row] >= 0)
            {
                ids.Add(index.IdOfRow(row));
            }
        }

        writer.Write("IxM2"u8);
        WriteHeader(writer, index.Dimension, ids.Count, Metric(index.Distance));
        switch (inner)
        {
            case IvfFlatIndex ivf:
                WriteInvertedFile(writer, ivf, position, ids.Count);
                break;
            case HnswIndex when index.HasRemovedRows:
                throw new NotSupportedException("faiss' IndexHNSWFlat has no removal, so an HNSW graph with removed rows has no faiss form; build the graph again from the rows that remain, or save it before removing.");
            case HnswIndex hnsw:
                WriteHnsw(writer, hnsw);
                break;
            case FlatIndex { Quantizer: { } quantizer } encoded:
                var keptCodes = Enumerable.Range(0, inner.Count).Where(row => position[row] >= 0).ToArray();
                WriteScalarQuantized(writer, index.Dimension, index.Distance, quantizer, keptCodes.Length, (i, destination) => encoded.CopyCode(keptCodes[i], destination));
                break;
            default:
                // Kept rows in row order are positions 0, 1, … in order: written as they are read.
                var kept = Enumerable.Range(0, inner.Count).Where(row => position[row] >= 0).ToArray();
                WriteFlat(writer, kept.Length, index.Dimension, index.Distance, (i, destination) => inner.CopyRow(kept[i], destination));
                break;
        }

        writer.Write((ulong)ids.Count);
        foreach (long id in ids)
        {
            writer.Write(id);
        }
    }

    private static void WriteFlat(BinaryWriter writer, float[] rows, int dimension, KnnDistance distance)
        => WriteFlat(writer, rows.Length / dimension, dimension, distance, (r, destination) => rows.AsSpan(r * dimension, dimension).CopyTo(destination));

    /// <summary>
    /// A flat record (<c>IxF2</c>, <c>IxFI</c>, <c>IxFl</c>) of <paramref name="count"/> rows, each copied by
    /// <paramref name="copyRow"/> and written in turn (cosine rows scaled to unit length), so no array of all the rows
    /// is made: an index past 2³¹ values is written as any other.
    /// </summary>
    private static void WriteFlat(BinaryWriter writer, int count, int dimension, KnnDistance distance, RowCopier copyRow)
    {
        int metric = Metric(distance);
        writer.Write(System.Text.Encoding.ASCII.GetBytes(metric switch { MetricL2 => "IxF2", MetricInnerProduct => "IxFI", _ => "IxFl" }));
        WriteHeader(writer, dimension, count, metric);
        writer.Write((ulong)count * (ulong)dimension);
        var row = new float[dimension];
        for (int r = 0; r < count; r++)
        {
            copyRow(r, row);
            if (distance == KnnDistance.Cosine)
            {
                UnitRows.Normalize(row, dimension);
            }

            WriteFloats(writer, row);
        }
    }

    /// <summary>
    /// <c>IxSQ</c> (faiss' IndexScalarQuantizer; also an HNSW graph's storage): the header, the quantizer record, then
    /// <paramref name="count"/> codes, each copied by <paramref name="copyCode"/> and written in turn (no array of all).
    /// </summary>
    private static void WriteScalarQuantized(BinaryWriter writer, int d, KnnDistance distance, ScalarQuantizer quantizer, int count, CodeCopier copyCode)
    {
        writer.Write("IxSQ"u8);
        WriteHeader(writer, d, count, Metric(distance));
        WriteQuantizer(writer, quantizer);
        writer.Write((ulong)count * (ulong)d);
        var code = new byte[d];
        for (int i = 0; i < count; i++)
        {
            copyCode(i, code);
            writer.Write(code);
        }
    }

    /// <summary>Copies code <paramref name="row"/> into <paramref name="destination"/>.</summary>
    private delegate void CodeCopier(int row, Span<byte> destination);

    /// <summary>
    /// faiss' ScalarQuantizer record: qtype QT_8bit (0), range statistic min–max (0) and its argument 0, the dimension,
    /// the code size (one byte a dimension), then <c>trained</c>: the minima, then the ranges.
    /// </summary>
    private static void WriteQuantizer(BinaryWriter writer, ScalarQuantizer quantizer)
    {
        writer.Write(FaissScalarQuantizer.Qt8Bit);
        writer.Write(FaissScalarQuantizer.RangeMinMax);
        writer.Write(0f);
        writer.Write((ulong)quantizer.Dimension);
        writer.Write((ulong)quantizer.Dimension);
        writer.Write((ulong)(2L * quantizer.Dimension));
        WriteFloats(writer, quantizer.Minimum);
        WriteFloats(writer, quantizer.Range);
    }

    /// <param name="writer">The file.</param>
    /// <param name="ivf">The inverted file.</param>
    /// <param name="position">Where an IndexIDMap wraps it: each row's number in the file, −1 for a removed row (left out); null writes every row under its own number.</param>
    /// <param name="count">The rows written.</param>
    private static void WriteInvertedFile(BinaryWriter writer, IvfFlatIndex ivf, int[]? position = null, int? count = null)
    {
        if (ivf.Distance == KnnDistance.L1)
        {
            throw new NotSupportedException("faiss' IndexIVFFlat searches by L2 or inner product only, so an L1 inverted file has no faiss form; save an exact L1 index, or build the inverted file with L2 or cosine.");
        }

        int metric = Metric(ivf.Distance);
        int d = ivf.Dimension;
        writer.Write(ivf.Quantizer is null ? "IwFl"u8 : "IwSq"u8);
        WriteHeader(writer, d, count ?? ivf.Count, metric);
        writer.Write((ulong)ivf.NumberOfLists);
        writer.Write((ulong)ivf.NumberOfProbes);
        WriteFlat(writer, ivf.Centroids.ToArray(), d, ivf.Distance);

        // Direct map: none (faiss can make one with make_direct_map after loading).
        writer.Write((byte)0);
        writer.Write(0UL);

        long codeSize = 4L * d;
        if (ivf.Quantizer is { } quantizer)
        {
            WriteQuantizer(writer, quantizer);
            codeSize = d;
            writer.Write((ulong)codeSize);
            writer.Write(ivf.ByResidual);
        }

        writer.Write("ilar"u8);
        writer.Write((ulong)ivf.NumberOfLists);
        writer.Write((ulong)codeSize);
        writer.Write("full"u8);
        writer.Write((ulong)ivf.NumberOfLists);
        int Kept(int row) => position is null ? row : position[row];
        for (int l = 0; l < ivf.NumberOfLists; l++)
        {
            int size = 0;
            foreach (int row in ivf.ListRows(l))
            {
                size += Kept(row) >= 0 ? 1 : 0;
            }

            writer.Write((ulong)size);
        }

        for (int l = 0; l < ivf.NumberOfLists; l++)
        {
            var ids = ivf.ListRows(l);
            if (ids.IsEmpty)
            {
                continue;
            }

            if (ivf.Quantizer is not null)
            {
                var codes = ivf.ListCodes(l);
                for (int p = 0; p < ids.Length; p++)
                {
                    if (Kept(ids[p]) >= 0)
                    {
                        writer.Write(codes.AsSpan(p * d, d));
                    }
                }
            }
            else
            {
                var values = ivf.ListValues(l);
                if (ivf.Distance == KnnDistance.Cosine)
                {
                    UnitRows.Normalize(values, d);
                }

                for (int p = 0; p < ids.Length; p++)
                {
                    if (Kept(ids[p]) >= 0)
                    {
                        WriteFloats(writer, values.AsSpan(p * d, d));
                    }
                }
            }

            foreach (int id in ids)
            {
                if (Kept(id) >= 0)
                {
                    writer.Write((long)Kept(id));
                }
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
        writer.Write(hnsw.Quantizer is null ? "IHNf"u8 : "IHNs"u8);
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
        if (hnsw.Quantizer is { } quantizer)
        {
            // IHNs (IndexHNSWSQ): the graph, then its storage as an IndexScalarQuantizer.
            var codes = hnsw.StoredCodes!;
            WriteScalarQuantized(writer, hnsw.Dimension, hnsw.Distance, quantizer, hnsw.Count, (row, destination) =>
            {
                codes.Row(row).CopyTo(destination);
                GC.KeepAlive(codes);
            });
            return;
        }

        WriteFlat(writer, hnsw.Count, hnsw.Dimension, hnsw.Distance, hnsw.CopyRow);
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

    /// <summary>Copies row <paramref name="row"/> into <paramref name="destination"/>.</summary>
    private delegate void RowCopier(int row, Span<float> destination);

    private static int Metric(KnnDistance distance) => distance switch
    {
        KnnDistance.L2 => MetricL2,
        KnnDistance.L1 => MetricL1,
        _ => MetricInnerProduct,
    };

    private static void WriteFloats(BinaryWriter writer, ReadOnlySpan<float> values)
        => writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
}
