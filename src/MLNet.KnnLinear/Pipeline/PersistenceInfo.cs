namespace MLNet.KnnLinear.Pipeline;

/// <summary>How a component's saved state is identified.</summary>
/// <param name="Kind">The component's name in our state container and ML.NET's loader signature (ML.NET allows at most 24 characters).</param>
/// <param name="ModelSignature">ML.NET's 8-character model signature.</param>
/// <param name="Version">The state version written now; readers accept 1 to this.</param>
internal sealed record PersistenceInfo(string Kind, string ModelSignature, int Version);
