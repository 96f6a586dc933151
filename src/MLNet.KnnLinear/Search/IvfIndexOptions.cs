namespace MLNet.KnnLinear;

/// <summary>
/// An inverted-file index (faiss' <c>IndexIVFFlat</c>): k-means splits the rows into <see cref="NumberOfLists"/>
/// lists around their centroids; a query is compared only with the rows of the <see cref="NumberOfProbes"/> lists
/// whose centroids are nearest to it. Approximate: a neighbour in an unprobed list is missed. Probing every list gives
/// exactly the exact index's results. Supports L2, L1 and cosine: centroids are k-means means (trained under L2 for an
/// L1 index), and rows are filed and lists probed by the index's own distance.
/// </summary>
public sealed class IvfIndexOptions : NeighborIndexOptions
{
    /// <summary>
    /// Lists (k-means clusters), at least 1 and at most the number of rows. Default null: 4√rows, rounded (faiss'
    /// usual advice; 359 for the 8,068 shared CIFAR images, 1,437 for 129,088 rows).
    /// </summary>
    public int? NumberOfLists { get; set; }

    /// <summary>
    /// Lists searched per query, 1 to the number of lists; more is slower and finds more. Default 16 (at most the
    /// number of lists when that is automatic). Can be changed after build with <see cref="NeighborIndex.SetSearchSize"/>.
    /// </summary>
    public int NumberOfProbes { get; set; } = 16;

    /// <summary>The list count for <paramref name="rows"/> rows: <see cref="NumberOfLists"/>, or 4√rows.</summary>
    internal int ListsFor(long rows) => NumberOfLists ?? (int)Math.Clamp(Math.Round(4 * Math.Sqrt(rows)), 1, Math.Min(rows, 1 << 20));

    /// <summary>The probes for <paramref name="lists"/> lists (the default is capped at an automatic list count).</summary>
    internal int ProbesFor(int lists) => NumberOfLists is null ? Math.Min(NumberOfProbes, lists) : NumberOfProbes;

    /// <summary>
    /// Seed of the k-means sample and initial centroids: the same seed and rows give the same index, whatever the
    /// thread count. Default null: the <c>MLContext</c>'s seed when a trainer or FindNearestNeighbors fits the index,
    /// else 1.
    /// </summary>
    public int? Seed { get; set; }

    internal override NeighborIndexOptions Seeded(int? contextSeed)
    {
        if (Seed is not null)
        {
            return this;
        }

        var copy = (IvfIndexOptions)MemberwiseClone();
        copy.Seed = contextSeed ?? 1;
        return copy;
    }

    /// <summary>
    /// How each list stores its rows: null (the default) as they are (faiss' <c>IndexIVFFlat</c>);
    /// <see cref="ScalarQuantizerEncoding"/> as 8-bit codes (faiss' <c>IndexIVFScalarQuantizer</c>, factory
    /// <c>IVF…,SQ8</c>): L2 rows as their residuals from their list's centroid, cosine rows as they are, the
    /// quantizer's ranges trained on the k-means sample; <see cref="ProductQuantizerEncoding"/> as m-byte product codes
    /// of each row's residual from its list's centroid (faiss' <c>IndexIVFPQ</c>, factory <c>IVF…,PQ</c>m), the
    /// codebooks trained on residuals of a seeded sample. L2 and cosine only.
    /// </summary>
    public NeighborIndexEncoding? Encoding { get; set; }

    internal override NeighborIndexEncoding? EncodingOf => Encoding;

    /// <summary>k-means iterations. Default 10, as faiss uses for an inverted file's quantizer.</summary>
    public int KMeansIterations { get; set; } = 10;

    /// <summary>Rows k-means trains on per list (a seeded sample; all rows when there are fewer). Default 256, as faiss.</summary>
    public int TrainingRowsPerList { get; set; } = 256;

    internal override void Validate(long rows)
    {
        if (NumberOfLists is { } lists && (lists < 1 || lists > rows))
        {
            throw new ArgumentOutOfRangeException(nameof(NumberOfLists), NumberOfLists, $"NumberOfLists must be between 1 and the number of rows ({rows}).");
        }

        if (NumberOfProbes < 1 || (NumberOfLists is { } set && NumberOfProbes > set))
        {
            throw new ArgumentOutOfRangeException(nameof(NumberOfProbes), NumberOfProbes, $"NumberOfProbes must be between 1 and NumberOfLists ({NumberOfLists}).");
        }

        if (KMeansIterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(KMeansIterations), KMeansIterations, "KMeansIterations must be at least 1.");
        }

        if (TrainingRowsPerList < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TrainingRowsPerList), TrainingRowsPerList, "TrainingRowsPerList must be at least 1.");
        }
    }
}
