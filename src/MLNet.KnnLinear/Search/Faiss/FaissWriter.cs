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

        WriteRecord(writer, index, index.Inner, position: null, index.Inner.Count);
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
        WriteHeader(writer, index.Dimension, ids.Count, Metric(FileDistanceOf(inner)));
        WriteRecord(writer, index, inner, position, ids.Count);
        writer.Write((ulong)ids.Count);
        foreach (long id in ids)
        {
            writer.Write(id);
        }
    }

    /// <summary>
    /// The record of one index (<paramref name="inner"/>, <paramref name="index"/>'s or a part of it): its
    /// <paramref name="count"/> kept rows, renumbered by <paramref name="position"/> (−1 for a removed row; null: every
    /// row under its own number).
    /// </summary>
    private static void WriteRecord(BinaryWriter writer, NeighborIndex index, INeighborIndex inner, int[]? position, int count)
    {
        int[] Kept() => KeptRows(inner.Count, position);
        switch (inner)
        {
            case RefinedIndex refined:
                WriteRefined(writer, index, refined, position, count);
                break;
            case IvfFlatIndex ivf:
                WriteInvertedFile(writer, ivf, position, count);
                break;
            case HnswIndex when index.HasRemovedRows:
                throw new NotSupportedException("faiss' IndexHNSWFlat has no removal, so an HNSW graph with removed rows has no faiss form; build the graph again from the rows that remain, or save it before removing.");
            case HnswIndex hnsw:
                WriteHnsw(writer, hnsw);
                break;
            case IvfPqIndex productIvf:
                WriteProductInvertedFile(writer, productIvf, position, count);
                break;
            case ProductQuantizedIndex product:
                var keptProductCodes = Kept();
                WriteProductQuantized(writer, product, keptProductCodes.Length, i => product.Code(keptProductCodes[i]).ToArray());
                break;
            case FlatIndex { Quantizer: { } quantizer } encoded:
                var keptCodes = Kept();
                WriteScalarQuantized(writer, encoded.Dimension, encoded.Distance, quantizer, keptCodes.Length, (i, destination) => encoded.CopyCode(keptCodes[i], destination));
                break;
            default:
                // Kept rows in row order are positions 0, 1, … in order: written as they are read.
                var kept = Kept();
                WriteFlat(writer, kept.Length, inner.Dimension, inner.Distance, (i, destination) => inner.CopyRow(kept[i], destination));
                break;
        }
    }

    /// <summary>
    /// <c>IxRF</c> (faiss' IndexRefine, read back by faiss as IndexRefineFlat): the header, the encoded index, the rows
    /// as a flat index with the encoded index's metric (cosine rows at unit length: <c>IxF2</c> under product codes,
    /// which rank cosine as L2 between unit vectors, else <c>IxFI</c>), then k_factor as a float.
    /// </summary>
    private static void WriteRefined(BinaryWriter writer, NeighborIndex index, RefinedIndex refined, int[]? position, int count)
    {
        var distance = FileDistanceOf(refined.Base);
        writer.Write("IxRF"u8);
        WriteHeader(writer, refined.Dimension, count, Metric(distance));
        WriteRecord(writer, index, refined.Base, position, count);
        var kept = KeptRows(refined.Count, position);
        bool unit = refined.Distance == KnnDistance.Cosine;
        WriteFlat(writer, kept.Length, refined.Dimension, distance, (i, destination) =>
        {
            refined.Rows.CopyRow(kept[i], destination);
            if (unit)
            {
                UnitRows.Normalize(destination, refined.Dimension);
            }
        });
        writer.Write(refined.Factor);
    }

    /// <summary>The rows of <paramref name="count"/> written, in row order: those <paramref name="position"/> keeps (all when null).</summary>
    private static int[] KeptRows(int count, int[]? position)
        => Enumerable.Range(0, count).Where(row => position is null || position[row] >= 0).ToArray();

    /// <summary>The distance an index's faiss record carries (product codes of cosine are written as L2 between unit vectors).</summary>
    private static KnnDistance FileDistanceOf(INeighborIndex inner) => inner switch
    {
        RefinedIndex refined => FileDistanceOf(refined.Base),
        ProductQuantizedIndex product => FileDistance(product.Metric),
        IvfPqIndex productIvf => FileDistance(productIvf.Metric),
        _ => inner.Distance,
    };

    private static void WriteFlat(BinaryWriter writer, float[] rows, int dimension, KnnDistance distance)
        => WriteFlat(writer, rows.Length / dimension, dimension, distance, (r, destination) => rows.AsSpan(r * dimension, dimension).CopyTo(destination));

    /// <summary>
    /// A flat record (<c>IxF2</c>, <c>IxFI</c>, <c>IxFl</c>) of <paramref name="count"/> rows, each copied by
    /// <paramref name="copyRow"/> and written in turn (cosine rows scaled to unit length), so no array of all the rows
    /// is made: an index past 2³¹ values is written as any other.
    /// </summary>
    private static void WriteFlat(BinaryWriter writer, int count, int dimension, KnnDistance distance, RowCopier copyRow, bool unitRows = true)
    {
        int metric = Metric(distance);
        writer.Write(System.Text.Encoding.ASCII.GetBytes(metric switch { MetricL2 => "IxF2", MetricInnerProduct => "IxFI", _ => "IxFl" }));
        WriteHeader(writer, dimension, count, metric);
        writer.Write((ulong)count * (ulong)dimension);
        var row = new float[dimension];
        for (int r = 0; r < count; r++)
        {
            copyRow(r, row);
            if (distance == KnnDistance.Cosine && unitRows)
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

        int d = ivf.Dimension;
        WriteInvertedFileHeader(writer, ivf.Quantizer is null ? "IwFl"u8 : "IwSq"u8, d, count ?? ivf.Count, ivf.Distance, ivf.NumberOfLists, ivf.NumberOfProbes, ivf.Centroids.ToArray(), unitCentroids: true);

        long codeSize = 4L * d;
        if (ivf.Quantizer is { } quantizer)
        {
            WriteQuantizer(writer, quantizer);
            codeSize = d;
            writer.Write((ulong)codeSize);
            writer.Write(ivf.ByResidual);
        }

        int Kept(int row) => position is null ? row : position[row];
        WriteInvertedLists(writer, ivf.NumberOfLists, codeSize, ivf.ListRows, Kept, (l, rows) =>
        {
            if (ivf.Quantizer is not null)
            {
                var codes = ivf.ListCodes(l);
                for (int p = 0; p < rows.Length; p++)
                {
                    if (Kept(rows[p]) >= 0)
                    {
                        writer.Write(codes.AsSpan(p * d, d));
                    }
                }

                return;
            }

            var values = ivf.ListValues(l);
            if (ivf.Distance == KnnDistance.Cosine)
            {
                UnitRows.Normalize(values, d);
            }

            for (int p = 0; p < rows.Length; p++)
            {
                if (Kept(rows[p]) >= 0)
                {
                    WriteFloats(writer, values.AsSpan(p * d, d));
                }
            }
        });
    }

    /// <summary>
    /// An inverted file's common part (faiss' <c>write_ivf_header</c>): the code, the header, nlist, nprobe, the coarse
    /// quantizer as a flat index of the centroids (scaled to unit length for cosine where <paramref name="unitCentroids"/>),
    /// and no direct map (faiss can make one with make_direct_map after loading).
    /// </summary>
    private static void WriteInvertedFileHeader(BinaryWriter writer, ReadOnlySpan<byte> code, int d, int count, KnnDistance distance, int lists, int probes, float[] centroids, bool unitCentroids)
    {
        writer.Write(code);
        WriteHeader(writer, d, count, Metric(distance));
        writer.Write((ulong)lists);
        writer.Write((ulong)probes);
        WriteFlat(writer, lists, d, distance, (r, destination) => centroids.AsSpan(r * d, d).CopyTo(destination), unitCentroids);
        writer.Write((byte)0);
        writer.Write(0UL);
    }

    /// <summary>
    /// <c>IwPQ</c> (faiss' IndexIVFPQ): the inverted file's header, by_residual, the code size, the product quantizer
    /// record, then the lists of codes. The centroids are written as held: codes are residuals from them.
    /// </summary>
    private static void WriteProductInvertedFile(BinaryWriter writer, IvfPqIndex ivf, int[]? position = null, int? count = null)
    {
        int m = ivf.Quantizer.Subquantizers;
        WriteInvertedFileHeader(writer, "IwPQ"u8, ivf.Dimension, count ?? ivf.Count, FileDistance(ivf.Metric), ivf.NumberOfLists, ivf.NumberOfProbes, ivf.Centroids.ToArray(), unitCentroids: false);
        writer.Write(ivf.ByResidual);
        writer.Write((ulong)m);
        WriteProductQuantizer(writer, ivf.Quantizer);
        int Kept(int row) => position is null ? row : position[row];
        WriteInvertedLists(writer, ivf.NumberOfLists, m, ivf.ListRows, Kept, (l, rows) =>
        {
            var codes = ivf.ListCodes(l);
            for (int p = 0; p < rows.Length; p++)
            {
                if (Kept(rows[p]) >= 0)
                {
                    writer.Write(codes.Slice(p * m, m));
                }
            }
        });
    }

    /// <summary>
    /// <c>IxPq</c> (faiss' IndexPQ): the header, the product quantizer record, <paramref name="count"/> codes (each
    /// from <paramref name="code"/>, written in turn), then faiss' search settings: ST_PQ (0), no sign encoding, and
    /// polysemous_ht = 8m + 1 (faiss' default: no polysemous filtering).
    /// </summary>
    private static void WriteProductQuantized(BinaryWriter writer, ProductQuantizedIndex index, int count, Func<int, byte[]> code)
    {
        int m = index.Quantizer.Subquantizers;
        writer.Write("IxPq"u8);
        WriteHeader(writer, index.Dimension, count, Metric(FileDistance(index.Metric)));
        WriteProductQuantizer(writer, index.Quantizer);
        writer.Write((ulong)count * (ulong)m);
        for (int i = 0; i < count; i++)
        {
            writer.Write(code(i));
        }

        writer.Write(0);
        writer.Write((byte)0);
        writer.Write((8 * m) + 1);
    }

    /// <summary>
    /// The metric a file of product codes is written with: L2 for L2 and for cosine (ranked as L2 between unit vectors,
    /// so faiss searching the file with unit queries ranks as this library does), inner product for a faiss
    /// inner-product file read here.
    /// </summary>
    private static KnnDistance FileDistance(CodeMetric metric) => metric == CodeMetric.InnerProduct ? KnnDistance.Cosine : KnnDistance.L2;

    /// <summary>faiss' ProductQuantizer record: d, M, nbits (8) as size_t, then the centroids (sub-space, centroid, value).</summary>
    private static void WriteProductQuantizer(BinaryWriter writer, ProductQuantizer quantizer)
    {
        writer.Write((ulong)quantizer.Dimension);
        writer.Write((ulong)quantizer.Subquantizers);
        writer.Write(8UL);
        writer.Write((ulong)quantizer.Centroids.Length);
        WriteFloats(writer, quantizer.Centroids);
    }

    /// <summary>A list's row numbers.</summary>
    private delegate ReadOnlySpan<int> ListRowsOf(int list);

    /// <summary>Writes list <paramref name="list"/>'s kept vectors or codes, whose row numbers are <paramref name="rows"/>.</summary>
    private delegate void ListWriter(int list, ReadOnlySpan<int> rows);

    /// <summary>
    /// faiss' array inverted lists (<c>ilar</c>): list count, code size, every list's size ("full"), then each non-empty
    /// list's codes (written by <paramref name="writeList"/>) and int64 ids (the file's numbers of its kept rows).
    /// </summary>
    private static void WriteInvertedLists(BinaryWriter writer, int lists, long codeSize, ListRowsOf rowsOf, Func<int, int> kept, ListWriter writeList)
    {
        writer.Write("ilar"u8);
        writer.Write((ulong)lists);
        writer.Write((ulong)codeSize);
        writer.Write("full"u8);
        writer.Write((ulong)lists);
        for (int l = 0; l < lists; l++)
        {
            int size = 0;
            foreach (int row in rowsOf(l))
            {
                size += kept(row) >= 0 ? 1 : 0;
            }

            writer.Write((ulong)size);
        }

        for (int l = 0; l < lists; l++)
        {
            var ids = rowsOf(l);
            if (ids.IsEmpty)
            {
                continue;
            }

            writeList(l, ids);
            foreach (int id in ids)
            {
                if (kept(id) >= 0)
                {
                    writer.Write((long)kept(id));
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
