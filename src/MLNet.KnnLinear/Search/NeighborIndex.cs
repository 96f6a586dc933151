using MLNet.KnnLinear.Search;
using MLNet.KnnLinear.Search.Hnsw;
using MLNet.KnnLinear.Search.Ivf;

namespace MLNet.KnnLinear;

/// <summary>
/// Rows of floats searched for the nearest neighbours of queries: exact (<see cref="ExactIndexOptions"/>), an
/// inverted file (<see cref="IvfIndexOptions"/>) or an HNSW graph (<see cref="HnswIndexOptions"/>). What a kNN model searches (<see cref="KnnModelParameters.Index"/>),
/// and usable on its own for similarity search. Searching is thread-safe; <see cref="SetSearchSize"/> is not (call it
/// between searches).
/// </summary>
public sealed class NeighborIndex
{
    private readonly FlatIndex? _exact;
    private readonly IvfFlatIndex? _ivf;
    private readonly HnswIndex? _hnsw;

    internal NeighborIndex(FlatIndex exact) => _exact = exact;

    internal NeighborIndex(IvfFlatIndex ivf) => _ivf = ivf;

    internal NeighborIndex(HnswIndex hnsw) => _hnsw = hnsw;

    /// <summary>The number of rows held.</summary>
    public int Count => Inner.Count;

    /// <summary>The length of every row and query.</summary>
    public int Dimension => Inner.Dimension;

    /// <summary>The distance rows are ranked by.</summary>
    public KnnDistance Distance => Inner.Distance;

    /// <summary>
    /// Memory held for the rows and the index structure, in bytes: rows as float32 panels (L2, cosine) or bytes (L1 on
    /// pixels), plus centroids and row numbers for an inverted file.
    /// </summary>
    public long SizeInBytes => _exact?.MemoryBytes ?? _ivf?.MemoryBytes ?? _hnsw!.MemoryBytes;

    internal INeighborIndex Inner => (INeighborIndex?)_exact ?? (INeighborIndex?)_ivf ?? _hnsw!;

    internal FlatIndex? Exact => _exact;

    internal IvfFlatIndex? Ivf => _ivf;

    internal HnswIndex? Hnsw => _hnsw;

    /// <summary>
    /// Builds an index over <paramref name="rows"/> (row-major, <paramref name="dimension"/> values each).
    /// </summary>
    /// <param name="rows">The rows, row-major; finite values.</param>
    /// <param name="dimension">Values per row.</param>
    /// <param name="distance">The distance to rank by.</param>
    /// <param name="options">The index kind; null is exact.</param>
    /// <exception cref="ArgumentException">The data is not a whole number of rows, or holds NaN or infinite values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range for this data (named in the message).</exception>
    public static NeighborIndex Build(ReadOnlySpan<float> rows, int dimension, KnnDistance distance, NeighborIndexOptions? options = null)
        => Build(rows, dimension, distance, options, maxThreads: 0);

    internal static NeighborIndex Build(ReadOnlySpan<float> rows, int dimension, KnnDistance distance, NeighborIndexOptions? options, int maxThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (!Enum.IsDefined(distance))
        {
            throw new ArgumentOutOfRangeException(nameof(distance), distance, $"Distance must be one of {string.Join(", ", Enum.GetNames<KnnDistance>())}.");
        }

        if (rows.IsEmpty || rows.Length % dimension != 0)
        {
            throw new ArgumentException($"The rows hold {rows.Length} values, which is not a positive multiple of the dimension {dimension}.", nameof(rows));
        }

        float largest = System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(rows);
        if (!float.IsFinite(largest))
        {
            throw new ArgumentException($"The rows hold {(float.IsNaN(largest) ? "NaN" : "an infinite value")}; rows must be finite.", nameof(rows));
        }

        options ??= new ExactIndexOptions();
        options.Validate(rows.Length / dimension);
        switch (options)
        {
            case IvfIndexOptions ivf:
                return new NeighborIndex(IvfFlatIndex.Build(rows, dimension, distance, ivf, maxThreads));
            case HnswIndexOptions hnsw:
                return new NeighborIndex(HnswIndex.Build(rows, dimension, distance, hnsw, maxThreads));
            default:
                var builder = new FlatIndexBuilder(dimension, distance, rows.Length / dimension);
                for (int r = 0; r < rows.Length / dimension; r++)
                {
                    builder.Append(rows.Slice(r * dimension, dimension));
                }

                return new NeighborIndex(builder.Build(maxThreads));
        }
    }

    /// <summary>
    /// The <paramref name="k"/> nearest rows of each query, faiss' layout: query-major, k per query, nearest first
    /// (ties by row number); where fewer than k are found (an inverted file whose probed lists hold fewer rows), row
    /// −1 and distance +∞ fill the rest. Distances are the index's own: Euclidean for L2 (faiss reports its square),
    /// the sum of absolute differences for L1, 1 − cosine similarity for cosine.
    /// </summary>
    /// <param name="queries">Queries, row-major, <see cref="Dimension"/> values each.</param>
    /// <param name="k">Neighbours per query, 1 to <see cref="Count"/>.</param>
    /// <param name="rows">Receives queries × k row numbers.</param>
    /// <param name="distances">Receives queries × k distances.</param>
    public void Search(ReadOnlySpan<float> queries, int k, Span<int> rows, Span<float> distances)
    {
        if (k < 1 || k > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and the {Count} rows held.");
        }

        if (queries.Length % Dimension != 0)
        {
            throw new ArgumentException($"The queries hold {queries.Length} values, which is not a multiple of the dimension {Dimension}.", nameof(queries));
        }

        long needed = (long)(queries.Length / Dimension) * k;
        if (rows.Length < needed || distances.Length < needed)
        {
            throw new ArgumentException($"The result spans must hold queries × k = {needed} values; they hold {rows.Length} and {distances.Length}.", rows.Length < needed ? nameof(rows) : nameof(distances));
        }

        Inner.Search(queries, k, distances, rows);
    }

    /// <summary>
    /// Sets how much an approximate index searches: the number of probed lists of an inverted file (1 to its list
    /// count; probing every list gives the exact result), or efSearch of an HNSW graph (at least 1; k is used when
    /// larger). More is slower and finds more.
    /// </summary>
    /// <exception cref="InvalidOperationException">The index is exact (it has no search size).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The size is out of range for the index.</exception>
    public void SetSearchSize(int probesOrEf)
    {
        if (_hnsw is not null)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(probesOrEf, 1);
            _hnsw.SearchSize = probesOrEf;
            return;
        }

        if (_ivf is null)
        {
            throw new InvalidOperationException("An exact index compares every row; it has no search size to set.");
        }

        if (probesOrEf < 1 || probesOrEf > _ivf.NumberOfLists)
        {
            throw new ArgumentOutOfRangeException(nameof(probesOrEf), probesOrEf, $"The number of probes must be between 1 and the {_ivf.NumberOfLists} lists.");
        }

        _ivf.NumberOfProbes = probesOrEf;
    }

    /// <summary>
    /// Writes the index in faiss' binary format, for <c>faiss.read_index</c>: exact L2 as IndexFlatL2, exact L1 as
    /// IndexFlat (METRIC_L1), an inverted file as IndexIVFFlat with its quantizer and lists (row numbers as ids, the
    /// current number of probes as nprobe), an HNSW graph as IndexHNSWFlat (its links as they are; efSearch as set). Cosine is written as inner product on unit-length rows (IndexFlatIP /
    /// an inner-product IndexIVFFlat): faiss then ranks by cosine similarity for unit-length queries, and reports the
    /// similarity, not 1 − similarity.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <exception cref="NotSupportedException">An L1 inverted file or HNSW graph (faiss' IndexIVFFlat and IndexHNSWFlat are written for L2 or inner product).</exception>
    public void SaveFaiss(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (_ivf is { Distance: KnnDistance.L1 })
        {
            throw new NotSupportedException("faiss' IndexIVFFlat searches by L2 or inner product only, so an L1 inverted file has no faiss form; save an exact L1 index, or build the inverted file with L2 or cosine.");
        }

        if (_hnsw is { Distance: KnnDistance.L1 })
        {
            throw new NotSupportedException("faiss 1.7.3's IndexHNSWFlat is written for L2 or inner product; an L1 HNSW graph has no faiss form. Save an exact L1 index instead.");
        }

        using var file = File.Create(path);
        MLNet.KnnLinear.Search.Faiss.FaissWriter.Write(this, file);
    }

    /// <summary>
    /// Reads an index faiss wrote (<c>faiss.write_index</c>): IndexFlatL2, IndexFlatIP, IndexFlat with METRIC_L1, and
    /// IndexIVFFlat (L2 or inner product) with array inverted lists and the ids faiss' <c>add</c> gives (0, 1, …), and
    /// IndexHNSWFlat (its graph checked for consistency, which faiss does not do).
    /// Inner-product indexes load as cosine and must hold unit-length vectors.
    /// </summary>
    /// <param name="path">The faiss file.</param>
    /// <exception cref="InvalidDataException">The file is damaged, or holds an index kind, metric or id scheme this library does not read (the message says which).</exception>
    public static NeighborIndex LoadFaiss(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var file = File.OpenRead(path);
        return MLNet.KnnLinear.Search.Faiss.FaissReader.Read(file, path);
    }

    internal void CopyRow(int row, Span<float> destination)
    {
        if (_exact is not null)
        {
            _exact.CopyRow(row, destination);
        }
        else if (_ivf is not null)
        {
            _ivf.CopyRow(row, destination);
        }
        else
        {
            _hnsw!.CopyRow(row, destination);
        }
    }
}
