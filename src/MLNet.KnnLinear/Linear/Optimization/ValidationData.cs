using Microsoft.ML;

namespace MLNet.KnnLinear.Linear.Optimization;

/// <summary>A validation set for early stopping and its columns (the training columns' names, resolved in its schema).</summary>
internal sealed record ValidationData(IDataView Data, DataViewSchema.Column Label, DataViewSchema.Column Features, DataViewSchema.Column? Weight);
