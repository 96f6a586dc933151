using Microsoft.ML;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// What a transformer computes, bound to one input schema: which input columns it reads, which columns it
/// appends, and how to compute them for a block of rows. Validation of the input schema happens when a mapping is
/// created, so every consumer (Transform, GetOutputSchema, PredictionEngine) fails the same way on bad input.
/// A mapping is immutable and shared by all cursors; per-cursor state lives in its <see cref="RowBlock"/>s.
/// </summary>
internal abstract class RowMapping
{
    protected RowMapping(DataViewSchema inputSchema) => InputSchema = inputSchema;

    public DataViewSchema InputSchema { get; }

    /// <summary>The appended columns, in order.</summary>
    public abstract IReadOnlyList<MappedColumn> Columns { get; }

    /// <summary>The input columns that the appended columns are computed from.</summary>
    public abstract IReadOnlyList<DataViewSchema.Column> Inputs { get; }

    /// <summary>
    /// How many rows to compute at once. Above 1, cursors read the inputs of that many rows ahead (through a second
    /// cursor on the source) so the computation can be batched and spread over threads.
    /// </summary>
    public virtual int BlockSize => 1;

    /// <summary>Creates the buffers of one cursor (or one row): one block per consumer, never shared.</summary>
    public abstract RowBlock CreateBlock();
}
