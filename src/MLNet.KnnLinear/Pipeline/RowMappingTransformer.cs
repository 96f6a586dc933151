using Microsoft.ML;
using Microsoft.ML.Data;

using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear;

/// <summary>
/// The base of every transformer in this library: it appends computed columns to its input, row by row, lazily.
/// <see cref="Transform"/> returns a view that computes nothing until a cursor moves, and then only the columns
/// asked for; <see cref="GetRowToRowMapper"/> serves <c>PredictionEngine</c> and transformer chains. Input values
/// are read, never disposed or modified.
/// </summary>
/// <remarks>
/// It is public only because the public transformers (<see cref="KnnPredictionTransformer"/>,
/// <see cref="LinearPredictionTransformer"/>, <see cref="ImageFeaturizerTransformer"/>) derive from it, and it is where
/// their shared <see cref="ITransformer"/> members are documented. It cannot be derived from outside this library
/// (its constructor is <c>private protected</c>); use it as an <see cref="ITransformer"/>.
/// </remarks>
public abstract class RowMappingTransformer : ITransformer
{
    private protected RowMappingTransformer()
    {
    }

    /// <summary>Always true: these transformers map each row on its own.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The schema <see cref="Transform"/> produces for data of <paramref name="inputSchema"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or of the wrong type.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new MappedSchema(Bind(inputSchema)).OutputSchema;
    }

    /// <summary>Returns a lazy view of <paramref name="input"/> with the computed columns appended.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or of the wrong type.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new MlNetInterop.OnnxExportableDataView(input, Bind(input.Schema));
    }

    /// <summary>A mapper of single rows of <paramref name="inputSchema"/>, as <c>PredictionEngine</c> uses.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new MappedRowToRowMapper(Bind(inputSchema));
    }

    void ICanSaveModel.Save(ModelSaveContext ctx) => SaveModel(ctx);

    /// <summary>Validates <paramref name="inputSchema"/> and binds the computation to it.</summary>
    private protected abstract RowMapping Bind(DataViewSchema inputSchema);

    /// <summary>The mapping bound to <paramref name="inputSchema"/> (for tests of block sizing).</summary>
    internal RowMapping Mapping(DataViewSchema inputSchema) => Bind(inputSchema);

    /// <summary>Saves into an ML.NET model file (through MlNetInterop's ModelPersistence).</summary>
    private protected abstract void SaveModel(ModelSaveContext ctx);
}
