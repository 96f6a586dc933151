namespace MLNet.KnnLinear;

/// <summary>
/// 8-bit scalar quantization (faiss' <c>SQ8</c>, <c>ScalarQuantizer::QT_8bit</c>): training learns each dimension's
/// minimum and maximum, and a row is stored as one byte a dimension, its value's place in that range in 255 steps; a
/// stored value is read back as the middle of its step, so it is off by at most half a step (range / 510) inside the
/// trained range, and values outside it are clamped to its ends. Float rows take a quarter of the memory; searches run
/// on the codes (an exact index compares every code, an inverted file the codes of its probed lists) and return the
/// distances to the rows as decoded, so neighbours closer than about one step may swap. L2 and cosine (rows scaled to
/// unit length before encoding, as faiss is given normalised rows for inner product); L1 is refused. An inverted file
/// encodes each L2 row's residual from its list's centroid (faiss' default, <c>by_residual</c>), whose range is
/// narrower than the rows', so the steps are finer; cosine rows are encoded as they are.
/// </summary>
public sealed class ScalarQuantizerEncoding : NeighborIndexEncoding
{
}
