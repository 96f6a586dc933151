namespace MLNet.KnnLinear.Search.Quantization;

/// <summary>
/// How an index of product-quantized codes ranks them. Cosine is ranked as L2 between unit-length vectors: an
/// inner product with a decoded row favours rows the quantizer made longer, and over tight neighbourhoods that swamps
/// the differences (recall@10 0.13 against 0.61 for L2 on the same unit rows, 2,000 clustered rows of 24, 6 bytes).
/// </summary>
internal enum CodeMetric
{
    /// <summary>Squared L2 to the decoded row (reported as its root).</summary>
    L2,

    /// <summary>Cosine: ½‖q̂ − x̂‖² between the unit query and the decoded unit row, which is 1 − cos when x̂ has unit length.</summary>
    UnitL2,

    /// <summary>1 − ⟨q̂, x̂⟩: faiss' inner product (a faiss file of inner-product codes, loaded as cosine), ranked as faiss ranks it.</summary>
    InnerProduct,
}
