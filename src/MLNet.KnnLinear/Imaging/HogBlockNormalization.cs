namespace MLNet.KnnLinear;

/// <summary>
/// How each block's histogram vector v is normalised (Dalal and Triggs 2005, §6.4; the names and ε of
/// scikit-image's <c>block_norm</c>, ε = 1e-5).
/// </summary>
public enum HogBlockNormalization
{
    /// <summary>No normalisation: the cell histograms as voted.</summary>
    None,

    /// <summary>v / (‖v‖₁ + ε).</summary>
    L1,

    /// <summary>√(v / (‖v‖₁ + ε)).</summary>
    L1Sqrt,

    /// <summary>v / √(‖v‖₂² + ε²).</summary>
    L2,

    /// <summary>L2, then every value clipped at 0.2, then L2 again (Lowe's SIFT normalisation; the default).</summary>
    L2Hys,
}
