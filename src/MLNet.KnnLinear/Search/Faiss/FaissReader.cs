using System.Numerics.Tensors;
using MLNet.KnnLinear.Search.Hnsw;
using MLNet.KnnLinear.Search.Ivf;
using MLNet.KnnLinear.Search.Quantization;

namespace MLNet.KnnLinear.Search.Faiss;

/// <summary>
/// Reads faiss' binary format (see <see cref="FaissWriter"/>): <c>IxF2</c>, <c>IxFI</c>, <c>IxFl</c> (L1) and
/// <c>IwFl</c> with array inverted lists; <c>IxSQ</c> and <c>IwSq</c> with 8-bit scalar quantizers (<c>QT_8bit</c>,
/// a range per dimension). Inner-product indexes load as cosine when their rows are unit length (as
/// <c>SaveFaiss</c> and faiss' usual cosine recipe write them) and are refused otherwise. Every count is checked
/// against the bytes left before anything is allocated; a damaged or unsupported file is an
/// <see cref="InvalidDataException"/> that says what was found where.
/// </summary>
internal sealed class FaissReader
{
    private readonly BinaryReader _reader;
    private readonly Stream _stream;
    private readonly string _path;
    private int _depth;
    private bool _inRefine;

    /// <summary>The file mapped when loading with memoryMapped: true (rows and codes are then read in place); null otherwise.</summary>
    private readonly MappedFile? _mapped;

    /// <summary>Whether a store over <see cref="_mapped"/> was kept by the index read (not copied out of it).</summary>
    private bool _keptMapped;

    private FaissReader(Stream stream, string path, MappedFile? mapped)
    {
        _stream = stream;
        _reader = new BinaryReader(stream, System.Text.Encoding.ASCII, leaveOpen: true);
        _path = path;
        _mapped = mapped;
    }

    /// <summary>Reads an index from <paramref name="stream"/> into memory.</summary>
    public static NeighborIndex Read(Stream stream, string path) => Read(stream, path, mapped: null, out _);

    /// <summary>
    /// Reads an index from <paramref name="stream"/>. With <paramref name="mapped"/> (the same file, mapped), the codes
    /// of an exact index of product codes, the rows of a re-ranked index and an HNSW graph's storage stay in the file's
    /// pages.
    /// </summary>
    /// <param name="stream">The file, positioned at its start.</param>
    /// <param name="path">Its path, for messages.</param>
    /// <param name="mapped">The same file mapped, or null to read everything.</param>
    /// <param name="keptMapped">Whether the index searches part of <paramref name="mapped"/> in place (false: it may be unmapped).</param>
    public static NeighborIndex Read(Stream stream, string path, MappedFile? mapped, out bool keptMapped)
    {
        var reader = new FaissReader(stream, path, mapped);
        try
        {
            var index = reader.ReadIndex();
            keptMapped = reader._keptMapped;
            return index;
        }
        catch (EndOfStreamException)
        {
            throw reader.Invalid("the file ends in the middle of a field (truncated?)");
        }
    }

    private NeighborIndex ReadIndex()
    {
        string code = ReadCode();
        switch (code)
        {
            case "IxF2":
            case "IxFI":
            case "IxFl":
            {
                var (d, count, distance) = ReadHeader(code);
                var rows = ReadFlatRows(d, count, distance);
                var builder = new FlatIndexBuilder(d, distance, count);
                rows.ForEachChunk(chunk =>
                {
                    for (int r = 0; r < chunk.Length / d; r++)
                    {
                        builder.Append(chunk.Slice(r * d, d));
                    }
                });
                return new NeighborIndex(builder.Build());
            }

            case "IxMp":
            case "IxM2":
                return ReadIdMap(code);
            case "IwFl":
            case "IwSq":
            case "IwPQ":
                var inverted = ReadInvertedFile(code);
                return new NeighborIndex(inverted, InvertedFileOptions(inverted), maxThreads: 0);
            case "IxSQ":
                return new NeighborIndex(ReadScalarQuantized());
            case "IxPq":
                var exact = ReadProductQuantized();
                return new NeighborIndex(exact, new ExactIndexOptions { Encoding = new ProductQuantizerEncoding { Subquantizers = exact.Quantizer.Subquantizers } }, maxThreads: 0);
            case "IHNf":
            case "IHNs":
                return new NeighborIndex(ReadHnsw(code));
            case "IxRF":
                return ReadRefined();
            default:
                throw Invalid($"index type '{code}' is not one this library reads (IxF2, IxFI, IxFl, IwFl, IxSQ, IwSq, IxPq, IwPQ, IHNf, IHNs, IxRF around an encoded one, and IxMp / IxM2 around them)");
        }
    }

    /// <summary>
    /// <c>IxRF</c> (IndexRefine; faiss makes it an IndexRefineFlat when its refine index is flat): the header, the
    /// encoded index, the refine index, then k_factor (a float in faiss' [1, 1000]). Read when the encoded index is one
    /// of codes (scalar or product quantized) and the refine index a flat one of the same rows and metric.
    /// </summary>
    private NeighborIndex ReadRefined()
    {
        var (d, count, distance) = ReadHeader("IxRF");
        if (_inRefine)
        {
            throw Invalid("'IxRF' inside another IxRF");
        }

        _inRefine = true;

        var encoded = ReadIndex();
        if (encoded.Refined is not null || encoded.HasUserIds || encoded.Exact is { Quantizer: null } || encoded.Ivf is { Quantizer: null } || encoded.Hnsw is { Quantizer: null })
        {
            throw Invalid("the IxRF's base index is not an index of codes (this library re-ranks scalar- or product-quantized indexes only)");
        }

        var rows = _mapped is null ? ReadIndex() : ReadMappedRows();
        if (rows.Inner is not (FlatIndex { Quantizer: null } or MappedRowsIndex) || rows.HasUserIds)
        {
            throw Invalid("the IxRF's refine index is not a flat index (IxF2, IxFI): IndexRefineFlat is the refine this library reads");
        }

        foreach (var (name, part) in new[] { ("base", encoded), ("refine", rows) })
        {
            if (part.Dimension != d || part.Count != count || part.Distance != distance)
            {
                throw Invalid($"'IxRF' says {count} vectors of {d} ({distance}), its {name} index holds {part.Count} of {part.Dimension} ({part.Distance})");
            }
        }

        float factor = _reader.ReadSingle();
        if (!float.IsFinite(factor) || factor < 1 || factor > 1000)
        {
            throw Invalid($"the IxRF's k_factor is {factor}, not in [1, 1000]");
        }

        _inRefine = false;
        return encoded.Refine(rows.Inner, factor);
    }

    /// <summary>
    /// A re-ranked index's flat record (<c>IxF2</c>, <c>IxFI</c>) read in place from the mapped file: its rows as they
    /// lie there (inner-product rows are still checked for unit length, which reads them once).
    /// </summary>
    private NeighborIndex ReadMappedRows()
    {
        string code = ReadCode();
        if (code is not ("IxF2" or "IxFI"))
        {
            throw Invalid($"the IxRF's refine index is '{code}', not a flat index (IxF2, IxFI): IndexRefineFlat is the refine this library reads");
        }

        var (d, count, distance) = ReadHeader(code);
        _keptMapped = true;
        return new NeighborIndex(new MappedRowsIndex(ReadFlatRows(d, count, distance), distance), new ExactIndexOptions(), maxThreads: 0);
    }

    /// <summary><c>IxMp</c> / <c>IxM2</c> (IndexIDMap / IndexIDMap2): a header, the inner index, then one int64 id per vector.</summary>
    private NeighborIndex ReadIdMap(string code)
    {
        var (d, count, distance) = ReadHeader(code);
        if (_depth++ > 0)
        {
            throw Invalid($"'{code}' inside another id map");
        }

        var inner = ReadIndex();
        if (inner.Dimension != d || inner.Count != count || inner.Distance != distance)
        {
            throw Invalid($"'{code}' says {count} vectors of {d} ({distance}), its inner index holds {inner.Count} of {inner.Dimension} ({inner.Distance})");
        }

        ulong stored = _reader.ReadUInt64();
        if (stored != (ulong)count)
        {
            throw Invalid($"'{code}' has {stored} ids for {count} vectors");
        }

        CheckBytes(stored, sizeof(long), "ids");
        var ids = new long[count];
        _stream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(ids.AsSpan()));
        try
        {
            return inner.WithIds(ids);
        }
        catch (ArgumentException e)
        {
            throw Invalid($"'{code}' ids: {e.Message}");
        }
    }

    /// <summary><c>IxSQ</c> (IndexScalarQuantizer): the header, the quantizer record, then every vector's code.</summary>
    private FlatIndex ReadScalarQuantized()
    {
        var (d, count, distance) = ReadHeader("IxSQ");
        var (quantizer, codes) = ReadCodes(d, count, distance);
        var index = new FlatIndex(d, distance, maxThreads: 0, quantizer: quantizer);
        codes.ForEachChunk(chunk => index.AddCodes(chunk));
        if (distance == KnnDistance.Cosine)
        {
            RequireUnitCodes(index, d);
        }

        return index;
    }

    /// <summary>The options an inverted file read from a file reports (its list count is the file's).</summary>
    private static IvfIndexOptions InvertedFileOptions(INeighborIndex inverted) => inverted switch
    {
        IvfPqIndex pq => new() { NumberOfLists = pq.NumberOfLists, NumberOfProbes = pq.NumberOfProbes, Encoding = new ProductQuantizerEncoding { Subquantizers = pq.Quantizer.Subquantizers } },
        IvfFlatIndex ivf => new() { NumberOfLists = ivf.NumberOfLists, NumberOfProbes = ivf.NumberOfProbes, Encoding = ivf.Quantizer is null ? null : new ScalarQuantizerEncoding() },
        _ => throw new ArgumentException("Not an inverted file.", nameof(inverted)),
    };

    /// <summary><c>IxPq</c> (IndexPQ): the header, the product quantizer record, the codes, then search settings (ignored).</summary>
    private ProductQuantizedIndex ReadProductQuantized()
    {
        var (d, count, distance) = ReadHeader("IxPq");
        var quantizer = ReadProductQuantizer(d, distance);
        int m = quantizer.Subquantizers;
        ulong stored = _reader.ReadUInt64();
        if (stored != (ulong)count * (ulong)m || count == 0)
        {
            throw Invalid($"codes: {stored} bytes stored, {(long)count * m} expected for {count} vectors of {m} bytes (at least one)");
        }

        CheckBytes(stored, 1, "codes");
        var codes = ReadRows<byte>(m, count, check: null);
        // Inner product loads as cosine ranked by faiss' inner product, so the file's neighbours are faiss'.
        ProductQuantizedIndex index;
        if (codes.IsMapped)
        {
            _keptMapped = true;
            index = new ProductQuantizedIndex(d, distance, quantizer, codes, maxThreads: 0, innerProduct: distance == KnnDistance.Cosine);
        }
        else
        {
            index = new ProductQuantizedIndex(d, distance, quantizer, maxThreads: 0, innerProduct: distance == KnnDistance.Cosine);
            codes.ForEachChunk(chunk => index.AddCodes(chunk));
        }

        _reader.ReadInt32();   // search_type: how faiss searches (ST_PQ, polysemous, …); this library searches by ADC
        _reader.ReadByte();    // encode_signs
        _reader.ReadInt32();   // polysemous_ht
        return index;
    }

    /// <summary>
    /// faiss' ProductQuantizer record: d, M and nbits (size_t each), then the centroids (M × 2^nbits × d/M floats).
    /// Only 8-bit codes are read; L1 is refused, as faiss searches codes by L2 or inner product.
    /// </summary>
    private ProductQuantizer ReadProductQuantizer(int d, KnnDistance distance)
    {
        ulong dimension = _reader.ReadUInt64();
        ulong m = _reader.ReadUInt64();
        ulong bits = _reader.ReadUInt64();
        if (dimension != (ulong)d || m == 0 || m > (ulong)d || (ulong)d % m != 0)
        {
            throw Invalid($"the product quantizer has dimension {dimension} and {m} sub-quantizers; dimension {d}, divided by M, was expected");
        }

        if (bits != 8)
        {
            throw Invalid($"the product quantizer has {bits}-bit codes; this library reads 8-bit codes (nbits = 8) only");
        }

        if (distance == KnnDistance.L1)
        {
            throw Invalid("a product-quantized index with metric L1 cannot be searched by faiss or this library");
        }

        var centroids = ReadFloats(_reader.ReadUInt64(), (long)ProductQuantizer.CentroidsPerSubspace * d, "product quantizer centroids");
        try
        {
            return new ProductQuantizer(d, (int)m, centroids);
        }
        catch (ArgumentException e)
        {
            throw Invalid(e.Message);
        }
    }

    /// <summary>An IxSQ record's body after its header: the quantizer, then the codes, read 16 MiB at a time into a row store.</summary>
    private (ScalarQuantizer Quantizer, RowStore<byte> Codes) ReadCodes(int d, int count, KnnDistance distance)
    {
        var quantizer = ReadQuantizer(d, distance);
        ulong stored = _reader.ReadUInt64();
        if (stored != (ulong)count * (ulong)d || count == 0)
        {
            throw Invalid($"codes: {stored} bytes stored, {(long)count * d} expected for {count} vectors (at least one)");
        }

        CheckBytes(stored, 1, "codes");
        var codes = ReadRows<byte>(d, count, check: null);
        return (quantizer, codes);
    }

    /// <summary>
    /// faiss' ScalarQuantizer record (see FaissWriter.WriteQuantizer): only <c>QT_8bit</c> is read, whatever range
    /// statistic trained it (the ranges are stored); L1 is refused, as faiss searches codes by L2 or inner product.
    /// </summary>
    private ScalarQuantizer ReadQuantizer(int d, KnnDistance distance)
    {
        int type = _reader.ReadInt32();
        _reader.ReadInt32(); // range statistic: how the ranges were trained, not needed to use them
        _reader.ReadSingle();
        ulong dimension = _reader.ReadUInt64();
        ulong codeSize = _reader.ReadUInt64();
        if (type != FaissScalarQuantizer.Qt8Bit)
        {
            throw Invalid($"the scalar quantizer's type is {type}; this library reads QT_8bit (0) only");
        }

        if (dimension != (ulong)d || codeSize != (ulong)d)
        {
            throw Invalid($"the scalar quantizer has dimension {dimension} and code size {codeSize}; {d} and {d} were expected");
        }

        if (distance == KnnDistance.L1)
        {
            throw Invalid("a scalar-quantized index with metric L1 cannot be searched by faiss or this library");
        }

        var trained = ReadFloats(_reader.ReadUInt64(), 2L * d, "scalar quantizer ranges");
        try
        {
            return new ScalarQuantizer(trained[..d], trained[d..]);
        }
        catch (ArgumentException e)
        {
            throw Invalid(e.Message);
        }
    }

    /// <summary>Inner product is read as cosine: the decoded vectors must be about unit length (codes round each value by up to half a step).</summary>
    private void RequireUnitCodes(INeighborIndex index, int d)
    {
        var row = new float[d];
        for (int r = 0; r < index.Count; r++)
        {
            index.CopyRow(r, row);
            float norm = TensorPrimitives.Norm(row);
            if (Math.Abs(norm - 1f) > 0.1f)
            {
                throw Invalid($"it is an inner-product index whose vector {r} decodes to length {norm}; inner product is read as cosine, which needs unit-length vectors (normalise them before adding to faiss)");
            }
        }
    }

    private INeighborIndex ReadInvertedFile(string code)
    {
        bool encoded = code == "IwSq";
        bool product = code == "IwPQ";
        var (d, count, distance) = ReadHeader(code);
        CheckBytes((ulong)count, (product ? 1 : encoded ? d : 4 * d) + 8, "vectors and ids");
        if (distance == KnnDistance.L1)
        {
            throw Invalid($"an L1 {(product ? "IndexIVFPQ" : encoded ? "IndexIVFScalarQuantizer" : "IndexIVFFlat")} cannot be searched by faiss or this library");
        }

        // A grown or trimmed inverted file may hold fewer vectors than lists: nlist is bounded by the bytes each list's
        // centroid takes, not by the vector count.
        int lists = CheckedInt(_reader.ReadUInt64(), "nlist", 1, Math.Clamp((_stream.Length - _stream.Position) / (4L * d), 1, int.MaxValue));
        int probes = (int)Math.Clamp(_reader.ReadUInt64(), 1UL, (ulong)lists);
        string quantizerCode = ReadCode();
        if (quantizerCode is not ("IxF2" or "IxFI"))
        {
            throw Invalid($"the inverted file's quantizer is '{quantizerCode}'; an IxF2 or IxFI flat index was expected");
        }

        var (qd, qcount, qdistance) = ReadHeader(quantizerCode);
        if (qd != d || qcount != lists || qdistance != distance)
        {
            throw Invalid($"the quantizer holds {qcount} centroids of dimension {qd} ({qdistance}); the inverted file needs {lists} of dimension {d} ({distance})");
        }

        var centroids = ReadFloats(_reader.ReadUInt64(), (long)lists * d, "centroids");
        byte directMap = _reader.ReadByte();
        Skip(_reader.ReadUInt64(), 8, "direct map");
        if (directMap == 2)
        {
            Skip(_reader.ReadUInt64(), 16, "direct map hash table");
        }
        else if (directMap > 2)
        {
            throw Invalid($"direct map type {directMap} is not 0, 1 or 2");
        }

        ScalarQuantizer? quantizer = null;
        ProductQuantizer? productQuantizer = null;
        bool byResidual = false;
        long codeSize = encoded ? d : 4L * d;
        if (product)
        {
            // IwPQ: by_residual (faiss' default for both metrics), the code size, then the quantizer record.
            byte residual = _reader.ReadByte();
            if (residual > 1)
            {
                throw Invalid($"by_residual is {residual}; 0 or 1 was expected");
            }

            byResidual = residual != 0;
            ulong storedCodeSize = _reader.ReadUInt64();
            productQuantizer = ReadProductQuantizer(d, distance);
            codeSize = productQuantizer.Subquantizers;
            if (storedCodeSize != (ulong)codeSize)
            {
                throw Invalid($"the inverted file's code size is {storedCodeSize}, not the product quantizer's {codeSize} bytes");
            }
        }

        if (encoded)
        {
            quantizer = ReadQuantizer(d, distance);
            if (_reader.ReadUInt64() != (ulong)d)
            {
                throw Invalid($"the inverted file's code size is not the quantizer's {d} bytes");
            }

            byte residual = _reader.ReadByte();
            byResidual = residual != 0;
            if (residual > 1 || (byResidual && distance != KnnDistance.L2))
            {
                throw Invalid($"by_residual is {residual}; this library reads 0 or 1, and 1 (codes of residuals) for L2 only: build an inner-product IndexIVFScalarQuantizer with by_residual = False");
            }
        }

        string listsCode = ReadCode();
        if (listsCode != "ilar")
        {
            throw Invalid($"the inverted lists are stored as '{listsCode}'; array lists ('ilar') were expected");
        }

        if (_reader.ReadUInt64() != (ulong)lists || _reader.ReadUInt64() != (ulong)codeSize)
        {
            throw Invalid("the inverted lists' list count or code size does not match the index");
        }

        var sizes = new long[lists];
        string sizeKind = ReadCode();
        ulong entries = _reader.ReadUInt64();
        CheckBytes(entries, 8, "list sizes");
        if (sizeKind == "full")
        {
            if (entries != (ulong)lists)
            {
                throw Invalid($"{entries} list sizes for {lists} lists");
            }

            for (int l = 0; l < lists; l++)
            {
                sizes[l] = (long)Math.Min(_reader.ReadUInt64(), long.MaxValue);
            }
        }
        else if (sizeKind == "sprs" && entries % 2 == 0)
        {
            for (ulong i = 0; i < entries; i += 2)
            {
                ulong list = _reader.ReadUInt64();
                ulong size = _reader.ReadUInt64();
                if (list >= (ulong)lists)
                {
                    throw Invalid($"list {list} is beyond the {lists} lists");
                }

                sizes[list] = (long)Math.Min(size, long.MaxValue);
            }
        }
        else
        {
            throw Invalid($"list sizes of kind '{sizeKind}' with {entries} entries");
        }

        if (sizes.Sum() != count)
        {
            throw Invalid($"the lists hold {sizes.Sum()} vectors; the header says {count}");
        }

        var ids = new int[lists][];
        var values = new float[lists][];
        var codes = new byte[lists][];
        var seen = new bool[count];
        for (int l = 0; l < lists; l++)
        {
            if (encoded || product)
            {
                CheckBytes((ulong)(sizes[l] * codeSize), 1, $"list {l}");
                codes[l] = new byte[sizes[l] * codeSize];
                _stream.ReadExactly(codes[l]);
            }
            else
            {
                values[l] = sizes[l] == 0 ? [] : ReadFloats((ulong)(sizes[l] * d), sizes[l] * d, $"list {l}");
            }

            ids[l] = new int[sizes[l]];
            CheckBytes((ulong)sizes[l], 8, $"list {l}'s ids");
            for (long i = 0; i < sizes[l]; i++)
            {
                long id = _reader.ReadInt64();
                if (id < 0 || id >= count || seen[id])
                {
                    throw Invalid($"list {l} holds id {id}; this library needs the ids 0 .. {count - 1} (faiss' add, not add_with_ids), each once");
                }

                seen[id] = true;
                ids[l][i] = (int)id;
            }

            if (distance == KnnDistance.Cosine && !encoded && !product)
            {
                RequireUnitRows(values[l], d);
            }
        }

        if (product)
        {
            // Inner product loads as cosine: the ranking is faiss' (queries scaled to unit length rank as they are).
            return IvfPqIndex.FromCodes(centroids, productQuantizer!, byResidual, ids, codes, d, distance, probes, maxThreads: 0, innerProduct: distance == KnnDistance.Cosine);
        }

        if (encoded)
        {
            var index = IvfFlatIndex.FromCodes(centroids, quantizer!, byResidual, ids, codes, d, distance, probes, maxThreads: 0);
            if (distance == KnnDistance.Cosine)
            {
                RequireUnitCodes(index, d);
            }

            return index;
        }

        return IvfFlatIndex.FromLists(centroids, ids, values, d, distance, probes, maxThreads: 0);
    }

    /// <summary>IHNf (see FaissWriter.WriteHnsw), with every structural invariant checked (faiss 1.7.3 checks none).</summary>
    private HnswIndex ReadHnsw(string code)
    {
        var (d, count, distance) = ReadHeader(code);
        ulong probabilities = _reader.ReadUInt64();
        Skip(probabilities, 8, "level probabilities");
        ulong cumulativeCount = _reader.ReadUInt64();
        CheckBytes(cumulativeCount, 4, "cumulative link counts");
        if (cumulativeCount < 2)
        {
            throw Invalid($"{cumulativeCount} cumulative link counts");
        }

        var cumulative = new int[cumulativeCount];
        for (ulong i = 0; i < cumulativeCount; i++)
        {
            cumulative[i] = _reader.ReadInt32();
        }

        int m = cumulative[1] / 2;
        for (int l = 0; l < cumulative.Length; l++)
        {
            long expected = l == 0 ? 0 : (2L * m) + ((l - 1L) * m);
            if (m < 1 || cumulative[l] != expected)
            {
                throw Invalid($"cumulative link count {l} is {cumulative[l]}; faiss' layout (2M on layer 0, M above, M = {m}) gives {expected}");
            }
        }

        if (_reader.ReadUInt64() != (ulong)count)
        {
            throw Invalid("the layer counts are not one per vector");
        }

        CheckBytes((ulong)count, 4, "layer counts");
        var levels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int layers = _reader.ReadInt32();
            if (layers < 1 || layers >= cumulative.Length)
            {
                throw Invalid($"vector {i} has {layers} layers; 1 to {cumulative.Length - 1} expected");
            }

            levels[i] = layers - 1;
        }

        if (_reader.ReadUInt64() != (ulong)count + 1)
        {
            throw Invalid("the offsets are not one per vector plus one");
        }

        CheckBytes((ulong)count + 1, 8, "offsets");
        ulong offset = _reader.ReadUInt64();
        if (offset != 0)
        {
            throw Invalid("the first offset is not 0");
        }

        for (int i = 0; i < count; i++)
        {
            offset += (ulong)cumulative[levels[i] + 1];
            if (_reader.ReadUInt64() != offset)
            {
                throw Invalid($"offset {i + 1} does not follow from the layer counts");
            }
        }

        long slots = HnswIndex.SlotCount(levels, m);
        if (_reader.ReadUInt64() != (ulong)slots)
        {
            throw Invalid($"the link table does not hold the {slots} slots the offsets give");
        }

        CheckBytes((ulong)slots, 4, "links");
        var links = new int[slots];
        _stream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(links.AsSpan()));
        foreach (int link in links)
        {
            if (link < -1 || link >= count)
            {
                throw Invalid($"a link to {link} is outside the {count} vectors");
            }
        }

        int entry = _reader.ReadInt32();
        int maxLevel = _reader.ReadInt32();
        int efConstruction = _reader.ReadInt32();
        int efSearch = _reader.ReadInt32();
        _reader.ReadInt32(); // upper_beam
        if (count == 0 || entry < 0 || entry >= count || levels[entry] != maxLevel || levels.Max() != maxLevel)
        {
            throw Invalid($"entry point {entry} at top layer {maxLevel} is not a vector of the top layer");
        }

        string storageCode = ReadCode();
        var (sd, scount, sdistance) = ReadHeader(storageCode);
        bool codes = code == "IHNs";
        if ((codes ? storageCode != "IxSQ" : storageCode is not ("IxF2" or "IxFI" or "IxFl")) || sd != d || scount != count || sdistance != distance)
        {
            throw Invalid($"the HNSW storage is '{storageCode}' with {scount} vectors of dimension {sd} ({sdistance}); {count} of dimension {d} ({distance}) were expected");
        }

        // The graph keeps its storage's store: over the mapped file when there is one.
        _keptMapped |= _mapped is not null;
        if (codes)
        {
            var (quantizer, stored) = ReadCodes(d, count, distance);
            var graph = HnswIndex.FromCodes(stored, quantizer, distance, m, Math.Max(1, efConstruction), Math.Max(1, efSearch), levels, links, entry, maxThreads: 0);
            if (distance == KnnDistance.Cosine)
            {
                RequireUnitCodes(graph, d);
            }

            return graph;
        }

        var rows = ReadFlatRows(d, count, distance);
        return HnswIndex.FromParts(rows, distance, m, Math.Max(1, efConstruction), Math.Max(1, efSearch), levels, links, entry, maxThreads: 0);
    }

    private (int Dimension, int Count, KnnDistance Distance) ReadHeader(string code)
    {
        int d = _reader.ReadInt32();
        long count = _reader.ReadInt64();
        _reader.ReadInt64();
        _reader.ReadInt64();
        _reader.ReadByte();
        int metric = _reader.ReadInt32();
        if (metric > FaissWriter.MetricL2)
        {
            _reader.ReadSingle();
        }

        if (d < 1 || count < 0 || count > int.MaxValue)
        {
            throw Invalid($"'{code}' has dimension {d} and {count} vectors");
        }

        var distance = metric switch
        {
            FaissWriter.MetricL2 => KnnDistance.L2,
            FaissWriter.MetricL1 => KnnDistance.L1,
            FaissWriter.MetricInnerProduct => KnnDistance.Cosine,
            _ => throw Invalid($"metric {metric} is not L2 (1), inner product (0) or L1 (2)"),
        };
        return (d, (int)count, distance);
    }

    /// <summary>
    /// A flat record's vectors, read a bounded chunk at a time into a <see cref="RowStore{T}"/> (chunks of native
    /// memory), so a file past 2³¹ values loads as any other; inner-product rows are checked for unit length.
    /// </summary>
    private RowStore<float> ReadFlatRows(int d, int count, KnnDistance distance)
    {
        ulong stored = _reader.ReadUInt64();
        if (stored != (ulong)count * (ulong)d)
        {
            throw Invalid($"vectors: {stored} floats stored, {(long)count * d} expected");
        }

        if (count == 0)
        {
            throw Invalid("the index holds no vectors");
        }

        CheckBytes(stored, 4, "vectors");
        return ReadRows<float>(d, count, distance == KnnDistance.Cosine ? (values, first) => RequireUnitRows(values, d, first) : null);
    }

    /// <summary>
    /// <paramref name="count"/> rows of <paramref name="d"/> values, read <see cref="ReadChunkBytes"/> at a time (whole
    /// rows, at least one) into a <see cref="RowStore{T}"/>, each chunk offered to <paramref name="check"/> first.
    /// </summary>
    private RowStore<T> ReadRows<T>(int d, int count, ChunkCheck<T>? check)
        where T : unmanaged
    {
        if (_mapped is not null)
        {
            // In place: the store reads the file's pages; a check reads them once, a chunk at a time.
            var mapped = RowStore<T>.OverFile(_mapped, _stream.Position, d, count);
            if (check is not null)
            {
                int first = 0;
                mapped.ForEachChunk(chunk =>
                {
                    check(chunk, first);
                    first += chunk.Length / d;
                });
            }

            _stream.Seek((long)count * d * System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), SeekOrigin.Current);
            return mapped;
        }

        var rows = new RowStore<T>(d, count);
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var chunk = new T[checked(Math.Max(1, Math.Min(count, ReadChunkBytes / size / d)) * d)];
        for (int read = 0; read < count;)
        {
            int n = Math.Min(count - read, chunk.Length / d);
            var values = chunk.AsSpan(0, n * d);
            _stream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
            check?.Invoke(values, read);
            for (int r = 0; r < n; r++)
            {
                rows.Append(values.Slice(r * d, d));
            }

            read += n;
        }

        return rows;
    }

    /// <summary>Checks rows just read (<paramref name="firstRow"/> is the first one's number); throws when they are invalid.</summary>
    private delegate void ChunkCheck<T>(ReadOnlySpan<T> rows, int firstRow);

    /// <summary>Bytes a flat record or codes are read in at a time: 16 MiB.</summary>
    private const int ReadChunkBytes = 1 << 24;

    private float[] ReadFloats(ulong stored, long expected, string what)
    {
        if (stored != (ulong)expected)
        {
            throw Invalid($"{what}: {stored} floats stored, {expected} expected");
        }

        CheckBytes(stored, 4, what);
        if (stored > (ulong)Array.MaxLength)
        {
            throw Invalid($"{what}: {stored} floats do not fit one array");
        }

        var values = new float[stored];
        _stream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private void RequireUnitRows(ReadOnlySpan<float> rows, int d, int firstRow = 0)
    {
        for (int r = 0; r < rows.Length / d; r++)
        {
            float norm = TensorPrimitives.Norm(rows.Slice(r * d, d));
            if (Math.Abs(norm - 1f) > 1e-3f)
            {
                throw Invalid($"it is an inner-product index whose vector {firstRow + r} has length {norm}; inner product is read as cosine, which needs unit-length vectors (normalise them before adding to faiss)");
            }
        }
    }

    private void Skip(ulong count, int bytesEach, string what)
    {
        CheckBytes(count, bytesEach, what);
        _stream.Seek((long)count * bytesEach, SeekOrigin.Current);
    }

    private void CheckBytes(ulong count, int bytesEach, string what)
    {
        long left = _stream.Length - _stream.Position;
        if (count > (ulong)(left / bytesEach))
        {
            throw Invalid($"{what}: {count} entries of {bytesEach} bytes, but only {left} bytes are left");
        }
    }

    private int CheckedInt(ulong value, string what, long min, long max)
    {
        if (value < (ulong)min || value > (ulong)max)
        {
            throw Invalid($"{what} is {value}, expected {min} to {max}");
        }

        return (int)value;
    }

    private string ReadCode() => System.Text.Encoding.ASCII.GetString(_reader.ReadBytes(4) is { Length: 4 } bytes ? bytes : throw new EndOfStreamException());

    private InvalidDataException Invalid(string problem) => new($"'{_path}' is not a faiss index this library can read: {problem}.");
}
