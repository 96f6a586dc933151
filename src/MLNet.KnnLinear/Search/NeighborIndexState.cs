using MLNet.KnnLinear.Pipeline;
using MLNet.KnnLinear.Search.Hnsw;
using MLNet.KnnLinear.Search.Ivf;
using MLNet.KnnLinear.Search.Quantization;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// A <see cref="NeighborIndex"/> inside a model's state (kNN state version 3, the nearest-neighbours transform): a
/// row-layout byte, then the parts. 0 exact floats and 1 exact bytes are written as state version 2 wrote them, so an
/// exact model's state is unchanged; 2 is an inverted file (lists, probes, centroids, each list's rows and values),
/// 3 an HNSW graph (M, efConstruction, efSearch, entry, layers, links, rows); 4 an exact index of 8-bit codes (the
/// quantizer's minima and ranges, then each row's code) and 5 an inverted file of codes (lists, probes, whether codes
/// are residuals, centroids, the quantizer, each list's rows and codes), 6 an HNSW graph of codes (as 3, then the
/// quantizer and the codes in place of the rows); 7 an exact index of product-quantized codes and 8 an inverted file
/// of them (see NeighborIndexState.ProductQuantized.cs); 9 an index of codes re-ranked on its rows (the factor, then the
/// index of codes and the exact index of the rows, each with its own layout byte). A library from before a layout refuses it by its layout byte. Every count is checked when read.
/// </summary>
internal static partial class NeighborIndexState
{
    /// <summary>
    /// The most bytes an index may hold to be saved in a model: a model's state is one payload read back into one array
    /// (<see cref="Array.MaxLength"/> bytes), less 64 MiB for the rest of the state.
    /// </summary>
    public static readonly long MaxIndexBytes = Array.MaxLength - (64L << 20);

    /// <summary>
    /// Refuses, before anything is written, an index too large for a model's state (which could be written but not
    /// read back), naming what to do instead.
    /// </summary>
    /// <param name="index">The index to save.</param>
    /// <param name="limit">The most bytes (tests set it small); null: <see cref="MaxIndexBytes"/>.</param>
    /// <exception cref="NotSupportedException">The index holds more than the limit.</exception>
    public static void CheckFits(NeighborIndex index, long? limit = null)
    {
        long most = limit ?? MaxIndexBytes;
        if (index.SizeInBytes > most)
        {
            throw new NotSupportedException(
                $"The model's neighbour index holds {index.SizeInBytes:N0} bytes; a model's state is saved as one payload of at most " +
                $"{most:N0} bytes for the index, so this model cannot be saved with Model.Save. Save the index itself with " +
                "NeighborIndex.SaveFaiss (no size limit; LoadFaiss reads it back), or store fewer bytes a row " +
                "(Encoding = new ScalarQuantizerEncoding() keeps float features as one byte a dimension).");
        }
    }

    public static void Write(BinaryWriter writer, NeighborIndex index)
    {
        CheckFits(index);
        if (index.Refined is { } refined)
        {
            // Layout 9: the factor, then the index of codes and the full rows, each as an index of its own.
            writer.Write((byte)RowLayout.Refined);
            writer.Write(refined.Factor);
            Write(writer, index.PartView(refined.Base));
            Write(writer, index.PartView(refined.Rows));
            return;
        }

        if (WriteProductQuantized(writer, index))
        {
            return;
        }

        // The row layout byte: 0 exact floats, 1 exact bytes (both as in version 2, so an exact model's state is
        // unchanged), 2 an inverted file (state version 3) followed by its parts.
        if (index.Ivf is { Quantizer: { } listQuantizer } encodedIvf)
        {
            writer.Write((byte)RowLayout.InvertedFileCodes);
            writer.Write(encodedIvf.NumberOfLists);
            writer.Write(encodedIvf.NumberOfProbes);
            writer.Write(encodedIvf.ByResidual);
            writer.WriteArray(encodedIvf.Centroids);
            WriteQuantizer(writer, listQuantizer);
            for (int l = 0; l < encodedIvf.NumberOfLists; l++)
            {
                writer.Write(encodedIvf.ListRows(l).Length);
                writer.WriteArray(encodedIvf.ListRows(l));
                writer.WriteArray<byte>(encodedIvf.ListCodes(l));
            }

            return;
        }

        if (index.Ivf is { } ivf)
        {
            writer.Write((byte)RowLayout.InvertedFile);
            writer.Write(ivf.NumberOfLists);
            writer.Write(ivf.NumberOfProbes);
            writer.WriteArray(ivf.Centroids);
            for (int l = 0; l < ivf.NumberOfLists; l++)
            {
                writer.Write(ivf.ListRows(l).Length);
                writer.WriteArray(ivf.ListRows(l));
                writer.WriteArray<float>(ivf.ListValues(l));
            }

            return;
        }

        if (index.Hnsw is { } hnsw)
        {
            writer.Write((byte)(hnsw.Quantizer is null ? RowLayout.Hnsw : RowLayout.HnswCodes));
            writer.Write(hnsw.M);
            writer.Write(hnsw.ConstructionSearchSize);
            writer.Write(hnsw.SearchSize);
            writer.Write(hnsw.Entry);
            writer.WriteArray(hnsw.Levels);
            writer.WriteArray(hnsw.Links);
            if (hnsw.Quantizer is { } nodeQuantizer)
            {
                WriteQuantizer(writer, nodeQuantizer);
                hnsw.StoredCodes!.ForEachChunk(codes => writer.WriteArray(codes));
                return;
            }

            hnsw.StoredRows.ForEachChunk(rows => writer.WriteArray(rows));
            return;
        }

        // An exact index (or the rows of a mapped file, written as an exact index of floats would be).
        var exact = index.Exact;
        if (exact?.Quantizer is { } quantizer)
        {
            writer.Write((byte)RowLayout.ExactCodes);
            WriteQuantizer(writer, quantizer);
            var code = new byte[index.Dimension];
            for (int r = 0; r < exact.Count; r++)
            {
                exact.CopyCode(r, code);
                writer.WriteArray<byte>(code);
            }

            return;
        }

        bool bytes = exact?.StoresBytes == true;
        writer.Write((byte)(bytes ? RowLayout.ExactBytes : RowLayout.ExactFloats));
        if (bytes)
        {
            var byteRow = new byte[index.Dimension];
            for (int r = 0; r < index.Count; r++)
            {
                exact!.CopyRow(r, byteRow);
                writer.WriteArray<byte>(byteRow);
            }

            return;
        }

        var row = new float[index.Dimension];
        for (int r = 0; r < index.Count; r++)
        {
            index.Inner.CopyRow(r, row);
            writer.WriteArray<float>(row);
        }
    }

    /// <summary>Layout 9: the refine factor, an index of codes, then the exact index of the same rows.</summary>
    private static NeighborIndex ReadRefined(ModelStateReader reader, int features, int rows, KnnDistance distance, int maxThreads, int version)
    {
        float factor = reader.ReadSingle("refine factor");
        if (!float.IsFinite(factor) || factor < 1 || factor > 1000)
        {
            throw reader.Invalid($"refine factor {factor} is not between 1 and 1,000");
        }

        var encoded = Read(reader, features, rows, distance, maxThreads, version, insideRefined: true);
        if (encoded.Refined is not null || encoded.Exact is { Quantizer: null } || encoded.Ivf is { Quantizer: null } || encoded.Hnsw is { Quantizer: null })
        {
            throw reader.Invalid("the index re-ranked on its rows is not an index of codes");
        }

        var full = Read(reader, features, rows, distance, maxThreads, version, insideRefined: true);
        if (full.Inner is not FlatIndex { Quantizer: null } flat)
        {
            throw reader.Invalid("the rows an index of codes is re-ranked on are not an exact index of rows");
        }

        return encoded.Refine(flat, factor);
    }

    public static NeighborIndex Read(ModelStateReader reader, int features, int rows, KnnDistance distance, int maxThreads, int version)
        => Read(reader, features, rows, distance, maxThreads, version, insideRefined: false);

    private static NeighborIndex Read(ModelStateReader reader, int features, int rows, KnnDistance distance, int maxThreads, int version, bool insideRefined)
    {
        var layout = (RowLayout)reader.ReadByte("row layout");
        if (layout == RowLayout.Refined && version >= 4)
        {
            if (insideRefined)
            {
                throw reader.Invalid("an index re-ranked on its rows inside another one");
            }

            return ReadRefined(reader, features, rows, distance, maxThreads, version);
        }

        if (layout is RowLayout.ExactProductCodes or RowLayout.InvertedFileProductCodes && version >= 4)
        {
            return ReadProductQuantized(reader, layout, features, rows, distance, maxThreads);
        }

        if (layout == RowLayout.InvertedFile && version >= 3)
        {
            return new NeighborIndex(ReadInvertedFile(reader, features, rows, distance, maxThreads));
        }

        if ((layout == RowLayout.Hnsw && version >= 3) || (layout == RowLayout.HnswCodes && version >= 4))
        {
            return new NeighborIndex(ReadHnsw(reader, features, rows, distance, maxThreads, codes: layout == RowLayout.HnswCodes));
        }

        if (layout == RowLayout.ExactCodes && version >= 4)
        {
            var quantizer = ReadQuantizer(reader, features);
            var exact = new FlatIndex(features, distance, maxThreads, quantizer: quantizer);
            exact.AddCodes(reader.ReadArray<byte>((long)rows * features, "codes"));
            return new NeighborIndex(exact);
        }

        if (layout == RowLayout.InvertedFileCodes && version >= 4)
        {
            return new NeighborIndex(ReadInvertedFileCodes(reader, features, rows, distance, maxThreads));
        }

        if (layout is not (RowLayout.ExactFloats or RowLayout.ExactBytes))
        {
            throw reader.Invalid($"row layout {(int)layout} is not one of 0 (floats), 1 (bytes){(version >= 3 ? ", 2 (inverted file), 3 (HNSW)" : string.Empty)}{(version >= 4 ? ", 4 (codes), 5 (inverted file of codes), 6 (HNSW graph of codes), 7 (product codes), 8 (inverted file of product codes) or 9 (codes re-ranked on rows)" : string.Empty)}");
        }

        bool bytes = layout == RowLayout.ExactBytes;
        if (bytes && distance != KnnDistance.L1 && version < 4)
        {
            throw reader.Invalid($"byte rows are only stored for L1 before version 4, but the distance is {distance}");
        }

        if (bytes && distance != KnnDistance.L1)
        {
            return new NeighborIndex(ReadBytePanels(reader, features, rows, distance, maxThreads));
        }

        if (bytes && features > ByteL1Scan.MaxDimension)
        {
            throw reader.Invalid($"byte rows are only stored up to {ByteL1Scan.MaxDimension} features, but there are {features}");
        }

        var index = bytes
            ? new FlatIndex(reader.ReadArray<byte>((long)rows * features, "training rows"), features, maxThreads)
            : new FlatIndex(reader.ReadArray<float>((long)rows * features, "training rows"), features, distance, maxThreads);
        return new NeighborIndex(index);
    }

    /// <summary>L2 or cosine byte rows (version 4 on), row-major as written, laid out into byte panels a row at a time.</summary>
    private static FlatIndex ReadBytePanels(ModelStateReader reader, int features, int rows, KnnDistance distance, int maxThreads)
    {
        if (rows == 0)
        {
            throw reader.Invalid("an exact index holds no rows");
        }

        var builder = new FlatIndexBuilder(features, distance, rows);
        for (int r = 0; r < rows; r++)
        {
            builder.Append(reader.ReadArray<byte>(features, "training rows"));
        }

        return builder.Build(maxThreads);
    }

    private static IvfFlatIndex ReadInvertedFile(ModelStateReader reader, int features, int rows, KnnDistance distance, int maxThreads)
    {
        int lists = reader.ReadInt32("number of lists", 1, rows);
        int probes = reader.ReadInt32("number of probes", 1, lists);
        var centroids = reader.ReadArray<float>((long)lists * features, "centroids");
        var (ids, values) = ReadLists<float>(reader, lists, features, rows, "list values");
        try
        {
            return IvfFlatIndex.FromLists(centroids, ids, values, features, distance, probes, maxThreads);
        }
        catch (InvalidDataException e)
        {
            throw reader.Invalid(e.Message);
        }
    }

    /// <summary>Each list's size, row numbers and values (floats or codes); the sizes must add up to the model's rows.</summary>
    private static (int[][] Ids, T[][] Values) ReadLists<T>(ModelStateReader reader, int lists, int features, int rows, string what)
        where T : unmanaged
    {
        var ids = new int[lists][];
        var values = new T[lists][];
        long total = 0;
        for (int l = 0; l < lists; l++)
        {
            int n = reader.ReadInt32("list size", 0, rows);
            total += n;
            if (total > rows)
            {
                throw reader.Invalid($"the lists hold more than the {rows} training rows");
            }

            ids[l] = reader.ReadArray<int>(n, "list rows");
            values[l] = reader.ReadArray<T>((long)n * features, what);
        }

        if (total != rows)
        {
            throw reader.Invalid($"the lists hold {total} rows; the model has {rows}");
        }

        return (ids, values);
    }

    private static void WriteQuantizer(BinaryWriter writer, ScalarQuantizer quantizer)
    {
        writer.WriteArray(quantizer.Minimum);
        writer.WriteArray(quantizer.Range);
    }

    private static ScalarQuantizer ReadQuantizer(ModelStateReader reader, int features)
    {
        var minimum = reader.ReadArray<float>(features, "quantizer minima");
        var range = reader.ReadArray<float>(features, "quantizer ranges");
        try
        {
            return new ScalarQuantizer(minimum, range);
        }
        catch (ArgumentException e)
        {
            throw reader.Invalid(e.Message);
        }
    }

    private static IvfFlatIndex ReadInvertedFileCodes(ModelStateReader reader, int features, int rows, KnnDistance distance, int maxThreads)
    {
        int lists = reader.ReadInt32("number of lists", 1, rows);
        int probes = reader.ReadInt32("number of probes", 1, lists);
        byte residual = reader.ReadByte("by-residual flag");
        if (residual > 1 || (residual == 1 && distance != KnnDistance.L2))
        {
            throw reader.Invalid($"the by-residual flag is {residual}; it is 0 or 1, and 1 only for L2");
        }

        var centroids = reader.ReadArray<float>((long)lists * features, "centroids");
        var quantizer = ReadQuantizer(reader, features);
        var (ids, codes) = ReadLists<byte>(reader, lists, features, rows, "list codes");
        try
        {
            return IvfFlatIndex.FromCodes(centroids, quantizer, residual == 1, ids, codes, features, distance, probes, maxThreads);
        }
        catch (InvalidDataException e)
        {
            throw reader.Invalid(e.Message);
        }
    }

    private static HnswIndex ReadHnsw(ModelStateReader reader, int features, int rows, KnnDistance distance, int maxThreads, bool codes)
    {
        int m = reader.ReadInt32("HNSW M", 2, 1 << 16);
        int efConstruction = reader.ReadInt32("efConstruction", 1);
        int efSearch = reader.ReadInt32("efSearch", 1);
        int entry = reader.ReadInt32("entry point", 0, rows - 1);
        int[] levels = reader.ReadArray<int>(rows, "node layers");
        foreach (int level in levels)
        {
            if (level < 0 || level > 15)
            {
                throw reader.Invalid($"a node's top layer is {level}, outside 0 .. 15");
            }
        }

        if (levels[entry] != levels.Max())
        {
            throw reader.Invalid($"the entry point {entry} is not on the top layer");
        }

        int[] links = reader.ReadArray<int>(HnswIndex.SlotCount(levels, m), "links");
        foreach (int link in links)
        {
            if (link < -1 || link >= rows)
            {
                throw reader.Invalid($"a link to {link} is outside the {rows} rows");
            }
        }

        if (codes)
        {
            var quantizer = ReadQuantizer(reader, features);
            var store = RowStore<byte>.CopyOf(reader.ReadArray<byte>((long)rows * features, "codes"), features);
            return HnswIndex.FromCodes(store, quantizer, distance, m, efConstruction, efSearch, levels, links, entry, maxThreads);
        }

        float[] values = reader.ReadArray<float>((long)rows * features, "rows");
        return HnswIndex.FromParts(values, features, distance, m, efConstruction, efSearch, levels, links, entry, maxThreads);
    }

    /// <summary>How the rows are stored in the model state (2 and 3 from version 3 on).</summary>
    private enum RowLayout : byte
    {
        ExactFloats = 0,
        ExactBytes = 1,
        InvertedFile = 2,
        Hnsw = 3,
        ExactCodes = 4,
        InvertedFileCodes = 5,
        HnswCodes = 6,
        ExactProductCodes = 7,
        InvertedFileProductCodes = 8,
        Refined = 9,
    }
}
