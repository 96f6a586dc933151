namespace MLNet.KnnLinear;

/// <summary>
/// A hierarchical navigable small-world graph (Malkov and Yashunin, 2016/2018; faiss' <c>IndexHNSWFlat</c>): every row
/// is a node linked to up to <see cref="MaxConnections"/> near rows per layer (twice that on the bottom layer); a
/// query walks greedily down the layers and then explores the bottom layer keeping the <see cref="SearchSize"/> best
/// candidates. Approximate; supports L2, L1 and cosine. The build uses every core and is deterministic for a
/// <see cref="Seed"/> whatever the thread count: rows are inserted in batches of a fixed size, each batch searching the
/// graph as it stood before the batch (plus the batch's earlier rows), so the thread split never changes a link.
/// </summary>
public sealed class HnswIndexOptions : NeighborIndexOptions
{
    /// <summary>M: links per node per layer (2M on the bottom layer), at least 2. Default 32.</summary>
    public int MaxConnections { get; set; } = 32;

    /// <summary>efConstruction: candidates kept while linking a new row, at least 1. Default 64.</summary>
    public int ConstructionSearchSize { get; set; } = 64;

    /// <summary>efSearch: candidates kept while searching (at least k is used), at least 1. Default 64. Can be changed after build with <see cref="NeighborIndex.SetSearchSize"/>.</summary>
    public int SearchSize { get; set; } = 64;

    /// <summary>
    /// How nodes are stored: null (the default) as rows (faiss' <c>IndexHNSWFlat</c>); <see cref="ScalarQuantizerEncoding"/>
    /// as 8-bit codes (faiss' <c>IndexHNSWSQ</c>, factory <c>HNSW32,SQ8</c>), the ranges trained on every row a build is
    /// given, or on <see cref="NeighborIndex.Train(ReadOnlySpan{float})"/>'s sample. L2 and cosine only. Product codes
    /// (<see cref="ProductQuantizerEncoding"/>) are refused, naming <c>Encoding</c>.
    /// </summary>
    public NeighborIndexEncoding? Encoding { get; set; }

    internal override NeighborIndexEncoding? EncodingOf => Encoding;

    /// <summary>
    /// Seed of the rows' layer draws. Default null: the <c>MLContext</c>'s seed when a trainer or FindNearestNeighbors
    /// fits the index, else 1.
    /// </summary>
    public int? Seed { get; set; }

    internal override NeighborIndexOptions Seeded(int? contextSeed)
    {
        if (Seed is not null)
        {
            return this;
        }

        var copy = (HnswIndexOptions)MemberwiseClone();
        copy.Seed = contextSeed ?? 1;
        return copy;
    }

    internal override void Validate(long rows)
    {
        if (MaxConnections < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConnections), MaxConnections, "MaxConnections (M) must be at least 2.");
        }

        if (ConstructionSearchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ConstructionSearchSize), ConstructionSearchSize, "ConstructionSearchSize (efConstruction) must be at least 1.");
        }

        if (SearchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SearchSize), SearchSize, "SearchSize (efSearch) must be at least 1.");
        }
    }
}
