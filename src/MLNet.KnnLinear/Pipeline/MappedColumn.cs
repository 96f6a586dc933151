using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>A column that a row mapping appends to its input (hiding an input column of the same name).</summary>
internal sealed record MappedColumn(string Name, DataViewType Type, DataViewSchema.Annotations Annotations);
