using Microsoft.ML;

namespace MLNet.KnnLinear.Tests.Conformance;

/// <summary>A malformed input that a component must reject with a clear exception.</summary>
/// <param name="Name">What is wrong, for the failure message.</param>
/// <param name="Data">Builds the bad data.</param>
/// <param name="Exception">The exception type expected.</param>
/// <param name="MessageFragments">Text the message must contain (e.g. the column name).</param>
public sealed record BadInput(string Name, Func<MLContext, IDataView> Data, Type Exception, params string[] MessageFragments)
{
    public override string ToString() => Name;
}
