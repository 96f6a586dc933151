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
    /// The memory a cursor's block may take (64 MiB): a block holds as many rows as fit, at least one, at most
    /// <see cref="MaxBlockRows"/>. So block memory follows the row size (a 3,072-feature kNN query: 1,024 rows; a
    /// 640 × 480 colour image: 17), never a fixed row count times whatever the row size is.
    /// </summary>
    public const long BlockBudgetBytes = 64L << 20;

    /// <summary>
    /// The most rows worth computing at once. Above 1, cursors read the inputs of several rows ahead (through a
    /// second cursor on the source) so the computation can be batched and spread over threads.
    /// </summary>
    public virtual int MaxBlockRows => 1;

    /// <summary>The bytes a block holds per row (inputs, outputs and per-row scratch).</summary>
    public virtual long BytesPerRow => 0;

    /// <summary>Rows per block for a cursor: as many as <see cref="BlockBudgetBytes"/> holds, between 1 and <see cref="MaxBlockRows"/>.</summary>
    public int BlockRows => MaxBlockRows <= 1 ? 1 : (int)Math.Clamp(BlockBudgetBytes / Math.Max(1, BytesPerRow), 1, MaxBlockRows);

    /// <summary>
    /// Creates the working set of one cursor (or one row): one block per consumer, never shared. It holds no row
    /// buffers until the consumer reserves rows (<see cref="RowBlock.Reserve"/>).
    /// </summary>
    public abstract RowBlock CreateBlock();

    /// <summary>The component's name as users call it (<c>Knn</c>, <c>ExtractHogFeatures</c>, ...), for messages.</summary>
    public virtual string ComponentName => GetType().Name;

    /// <summary>
    /// Throws <see cref="NotSupportedException"/> naming the component and the option when this mapping cannot be
    /// written as ONNX. Called before anything is written.
    /// </summary>
    public virtual void CheckOnnxExport()
        => throw new NotSupportedException($"ONNX export: {ComponentName} cannot be exported to ONNX.");

    /// <summary>Writes the nodes computing this mapping's columns from its inputs (called only after <see cref="CheckOnnxExport"/> passed).</summary>
    public virtual void ExportOnnx(MlNetInterop.OnnxGraph graph) => CheckOnnxExport();
}
