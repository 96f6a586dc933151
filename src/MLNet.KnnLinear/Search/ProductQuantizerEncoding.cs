namespace MLNet.KnnLinear;

/// <summary>
/// Product quantization with 8 bits a code (faiss' <c>PQ</c>m, <c>ProductQuantizer</c> with <c>nbits = 8</c>): each row
/// is cut into <see cref="Subquantizers"/> sub-vectors of equal length, and each sub-vector is stored as the number of
/// its nearest of 256 centroids learnt for its sub-space (k-means, 25 iterations on a seeded sample of at most 65,536
/// rows, as faiss), so a row takes <see cref="Subquantizers"/> bytes however long it is: 3,072 pixels in 96 bytes, 128×
/// less than float32. Searches compare a query with the codes through per-query distance tables (ADC) and return those
/// approximate distances, as faiss does: much smaller and faster than rows or 8-bit codes, and less exact (a row is
/// its centroids, so neighbours closer than the quantization error swap). L2 and cosine (rows and queries scaled to
/// unit length, as faiss is given normalised rows for inner product); L1 is refused. Set on
/// <see cref="IvfIndexOptions.Encoding"/> (faiss' <c>IndexIVFPQ</c>: each row's residual from its list's centroid is
/// encoded, faiss' <c>by_residual</c>) or <see cref="ExactIndexOptions.Encoding"/> (faiss' <c>IndexPQ</c>); an HNSW
/// graph refuses it (faiss' <c>IndexHNSWPQ</c> is not supported). Training needs at least 256 rows.
/// </summary>
public sealed class ProductQuantizerEncoding : NeighborIndexEncoding
{
    /// <summary>
    /// Sub-quantizers (faiss' m), which is also the bytes a row takes: at least 1, and it must divide the dimension.
    /// More keeps more of each row (recall) at more memory and time. Default 16.
    /// </summary>
    public int Subquantizers { get; set; } = 16;

    /// <summary>Checks the sub-quantizers against the dimension; throws naming <see cref="Subquantizers"/>.</summary>
    internal void Validate(int dimension)
    {
        if (Subquantizers < 1 || Subquantizers > dimension || dimension % Subquantizers != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Subquantizers), Subquantizers, $"Subquantizers must be at least 1 and divide the dimension {dimension} (each sub-quantizer takes dimension / Subquantizers values).");
        }
    }
}
