using MLNet.KnnLinear.Kernels;

namespace MLNet.KnnLinear.Search;

/// <summary>
/// One distance per (query, row) pair, as a struct so the search loops are specialised per metric by the JIT
/// instead of calling through a delegate for every pair.
/// </summary>
internal interface IPairDistance
{
    float Compute(ReadOnlySpan<float> query, float queryNorm, ReadOnlySpan<float> row, float rowNorm);
}

internal readonly struct L1PairDistance : IPairDistance
{
    public float Compute(ReadOnlySpan<float> query, float queryNorm, ReadOnlySpan<float> row, float rowNorm)
        => L1Distance.Compute(query, row);
}

internal readonly struct L2PairDistance : IPairDistance
{
    public float Compute(ReadOnlySpan<float> query, float queryNorm, ReadOnlySpan<float> row, float rowNorm)
        => EuclideanDistance.Compute(query, row);
}

internal readonly struct CosinePairDistance : IPairDistance
{
    public float Compute(ReadOnlySpan<float> query, float queryNorm, ReadOnlySpan<float> row, float rowNorm)
        => CosineDistance.Compute(query, queryNorm, row, rowNorm);
}
