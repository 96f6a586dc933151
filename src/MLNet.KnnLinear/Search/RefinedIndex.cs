using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// An index of encoded rows whose candidates are re-ranked on the rows as they are (faiss' <c>IndexRefineFlat</c>):
/// the encoded index (<see cref="Base"/>) finds k × <see cref="Factor"/> candidates per query, then each candidate's
/// distance is computed from its full row (<see cref="Rows"/>, an exact index: pixel rows as bytes, other rows as
/// floats; or a memory-mapped file's float rows) and the k nearest by that distance are kept, ties by row number. Both indexes hold every row, numbered alike.
/// The distances reported are the exact ones (Euclidean for L2, 1 − cosine similarity for cosine), not the codes'.
/// </summary>
/// <remarks>
/// Exact distances are summed 256 values at a time in float and the blocks in double: pixel rows (whole numbers in
/// [0, 255]) give their exact integer squared L2, as the exact index does, so "refine every row" is exact search.
/// </remarks>
internal sealed class RefinedIndex : INeighborIndex
{
    /// <summary>Values summed in float before the sum goes to double: 256 squares of differences of bytes stay below 2²⁴ (exact).</summary>
    private const int ExactBlock = 256;

    /// <summary>Rows added to both parts between cancellation points.</summary>
    private const int AddChunkRows = 16_384;

    private readonly int _maxThreads;

    /// <param name="baseIndex">The encoded index that proposes candidates; holds the same rows as <paramref name="rows"/>.</param>
    /// <param name="rows">The rows as they are, in the same order.</param>
    /// <param name="factor">Candidates per neighbour wanted: at least 1 (faiss' <c>k_factor</c>).</param>
    /// <param name="maxThreads">The most threads re-ranking uses (0: no limit of its own).</param>
    public RefinedIndex(INeighborIndex baseIndex, INeighborIndex rows, float factor, int maxThreads)
    {
        if (baseIndex.Dimension != rows.Dimension || baseIndex.Distance != rows.Distance || baseIndex.Count != rows.Count)
        {
            throw new ArgumentException($"The refining rows ({rows.Count} of {rows.Dimension}, {rows.Distance}) are not the encoded index's ({baseIndex.Count} of {baseIndex.Dimension}, {baseIndex.Distance}).", nameof(rows));
        }

        Base = baseIndex;
        Rows = rows;
        Factor = factor;
        _maxThreads = maxThreads;
    }

    /// <summary>The encoded index whose candidates are re-ranked.</summary>
    public INeighborIndex Base { get; }

    /// <summary>The rows as they are: an exact index, or the rows of a memory-mapped file (<see cref="MappedRowsIndex"/>).</summary>
    public INeighborIndex Rows { get; }

    /// <summary>Candidates per neighbour: a search for k takes ⌊k × factor⌋ candidates from <see cref="Base"/>.</summary>
    public float Factor { get; }

    public int Dimension => Base.Dimension;

    public int Count => Base.Count;

    public KnnDistance Distance => Base.Distance;

    public long MemoryBytes => Base.MemoryBytes + Rows.MemoryBytes;

    /// <summary>This index over another view of the same encoded rows (a copy with its own search size).</summary>
    public RefinedIndex WithBase(INeighborIndex baseIndex) => new(baseIndex, Rows, Factor, _maxThreads);

    /// <summary>
    /// Adds rows to the codes and to the rows, 16,384 rows at a time: a cancellation point between chunks only, so both
    /// parts always hold the same rows (chunks added before a cancellation stay, in both).
    /// </summary>
    public void Add(ReadOnlySpan<float> rows) => AddToBoth(rows);

    /// <summary>Adds byte rows (pixels) to the codes and to the rows (as bytes), 16,384 rows at a time; see <see cref="Add(ReadOnlySpan{float})"/>.</summary>
    public void Add(ReadOnlySpan<byte> rows) => AddToBoth(rows);

    private void AddToBoth<T>(ReadOnlySpan<T> rows)
        where T : unmanaged
    {
        int d = Dimension;
        for (int first = 0; first < rows.Length / d; first += AddChunkRows)
        {
            Cancellation.ThrowIfRequested();
            var chunk = rows.Slice(first * d, Math.Min(AddChunkRows, (rows.Length / d) - first) * d);
            using var together = Cancellation.Suspend();
            if (typeof(T) == typeof(byte))
            {
                var bytes = MemoryMarshal.Cast<T, byte>(chunk);
                Base.Add(bytes);
                Rows.Add(bytes);
            }
            else
            {
                var floats = MemoryMarshal.Cast<T, float>(chunk);
                Base.Add(floats);
                Rows.Add(floats);
            }
        }
    }

    public void CopyRow(int row, Span<float> destination) => Rows.CopyRow(row, destination);

    /// <summary>Candidates a search for <paramref name="k"/> takes: ⌊k × factor⌋, at least k, at most every row (faiss does not cap it; fewer is the same search).</summary>
    public int CandidatesFor(int k)
    {
        double wanted = Math.Floor((double)k * Factor);
        return (int)Math.Max(k, Math.Min(wanted, Math.Max(Count, k)));
    }

    public void Search(ReadOnlySpan<float> queries, int k, Span<float> distances, Span<int> rows, RemovedRows? removed = null)
    {
        int queryCount = queries.Length / Dimension;
        int candidates = CandidatesFor(k);
        long total = checked((long)queryCount * candidates);
        if (total > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"Re-ranking {candidates} candidates for each of {queryCount} queries needs {total:N0} of them at once; search fewer queries per call.");
        }

        var candidateDistances = new float[total];
        var candidateRows = new int[total];
        Base.Search(queries, candidates, candidateDistances, candidateRows, removed);

        var keys = new double[(long)queryCount * k];
        var found = new int[(long)queryCount * k];
        Array.Fill(found, -1);
        var queryArray = queries.ToArray();
        int d = Dimension;
        bool cosine = Distance == KnnDistance.Cosine;
        int threads = Math.Max(1, Math.Min(KnnLinearParallelism.ThreadsFor(_maxThreads), queryCount));
        ParallelRanges.Run(threads, t =>
        {
            var row = new float[d];
            var scratch = new float[d];
            var selector = new TopKSelector(k);
            for (int q = t; q < queryCount; q += threads)
            {
                Cancellation.ThrowIfRequested();
                ReadOnlySpan<float> query = queryArray.AsSpan(q * d, d);
                double queryNorm = cosine ? Norm(query) : 0;
                selector.Reset();
                foreach (int candidate in candidateRows.AsSpan(q * candidates, candidates))
                {
                    if (candidate < 0)
                    {
                        continue;   // the encoded index found fewer: −1 fills its tail
                    }

                    Rows.CopyRow(candidate, row);
                    selector.Add(Key(cosine, query, queryNorm, row, scratch), candidate);
                }

                selector.CopySorted(keys.AsSpan(q * k, k), found.AsSpan(q * k, k));
            }
        });

        for (long i = 0; i < keys.Length; i++)
        {
            rows[(int)i] = found[i];
            distances[(int)i] = Reported(cosine, keys[i], found[i]);
        }
    }

    /// <summary>The exact ranking key of <paramref name="row"/> for <paramref name="query"/>: squared L2, or 1 − cosine (<paramref name="queryNorm"/> is ‖query‖ for cosine).</summary>
    internal static double Key(bool cosine, ReadOnlySpan<float> query, double queryNorm, ReadOnlySpan<float> row, Span<float> scratch)
        => cosine ? CosineKey(query, queryNorm, row) : SquaredL2(query, row, scratch);

    /// <summary>The distance reported for a key: its root for L2, the key itself (1 − cosine) for cosine; +∞ where no row was found.</summary>
    internal static float Reported(bool cosine, double key, int row)
        => row < 0 ? float.PositiveInfinity : cosine ? (float)key : (float)Math.Sqrt(key);

    /// <summary>‖q‖ in double, summed as the exact index sums norms (exact for whole numbers in [0, 255]).</summary>
    internal static double Norm(ReadOnlySpan<float> x) => Math.Sqrt(GemmScan.ExactSquaredNorm(x));

    /// <summary>Σ (q − x)², the exact index's blocked sum of the difference (exact for whole numbers in [0, 255]).</summary>
    private static double SquaredL2(ReadOnlySpan<float> query, ReadOnlySpan<float> row, Span<float> scratch)
    {
        TensorPrimitives.Subtract(query, row, scratch);
        return GemmScan.ExactSquaredNorm(scratch);
    }

    /// <summary>1 − q·x / (‖q‖ ‖x‖) in double; a zero row or query is at distance 1 (as the exact index ranks it).</summary>
    private static double CosineKey(ReadOnlySpan<float> query, double queryNorm, ReadOnlySpan<float> row)
    {
        double rowNorm = Norm(row);
        return queryNorm == 0 || rowNorm == 0 ? 1.0 : 1.0 - (SumOfProducts(query, row) / (queryNorm * rowNorm));
    }

    /// <summary>Σ a·b, 256 values at a time in float, the blocks in double.</summary>
    private static double SumOfProducts(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i += ExactBlock)
        {
            int length = Math.Min(ExactBlock, a.Length - i);
            sum += TensorPrimitives.Dot(a.Slice(i, length), b.Slice(i, length));
        }

        return sum;
    }
}
