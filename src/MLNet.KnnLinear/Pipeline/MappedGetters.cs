using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// The getters of one consumer (cursor or row) of a mapped view: passed-through columns come from the input row,
/// appended ones from the consumer's own <see cref="RowBlock"/> at the slot the consumer says is current.
/// </summary>
internal sealed class MappedGetters
{
    private readonly MappedSchema _schema;
    private readonly DataViewRow _input;
    private readonly bool[] _activeMapped;
    private readonly Delegate?[] _getters;

    /// <param name="schema">The mapped schema.</param>
    /// <param name="input">The row passed-through columns are read from.</param>
    /// <param name="activeMapped">Which appended columns are active.</param>
    /// <param name="currentSlot">Returns the block slot of the current row, computing it first if needed.</param>
    public MappedGetters(MappedSchema schema, DataViewRow input, bool[] activeMapped, Func<int> currentSlot)
    {
        _schema = schema;
        _input = input;
        _activeMapped = activeMapped;
        _getters = new Delegate?[activeMapped.Length];
        if (AnyMappedActive)
        {
            Block = schema.Mapping.CreateBlock();
            for (int j = 0; j < activeMapped.Length; j++)
            {
                if (activeMapped[j])
                {
                    _getters[j] = Block.CreateGetter(j, currentSlot);
                }
            }
        }
    }

    /// <summary>The consumer's block; null when no appended column is active.</summary>
    public RowBlock? Block { get; }

    public bool AnyMappedActive => _activeMapped.Any(a => a);

    public bool IsColumnActive(DataViewSchema.Column column)
        => _schema.IsMapped(column.Index)
            ? _activeMapped[column.Index - _schema.InputCount]
            : _input.IsColumnActive(_input.Schema[column.Index]);

    public ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!_schema.IsMapped(column.Index))
        {
            return _input.GetGetter<TValue>(_input.Schema[column.Index]);
        }

        var getter = _getters[column.Index - _schema.InputCount]
            ?? throw new InvalidOperationException($"Column '{column.Name}' is not active; request it when creating the cursor or row.");
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}; it cannot be read as {typeof(TValue).Name}.");
    }
}
