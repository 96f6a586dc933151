using Microsoft.ML;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// The output schema of a mapping: every input column, then the appended ones. Output column i &lt; InputCount
/// is input column i passed through; the rest are <see cref="RowMapping.Columns"/> in order.
/// </summary>
internal sealed class MappedSchema
{
    public MappedSchema(RowMapping mapping)
    {
        Mapping = mapping;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(mapping.InputSchema);
        foreach (var column in mapping.Columns)
        {
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        }

        OutputSchema = builder.ToSchema();
    }

    public RowMapping Mapping { get; }

    public DataViewSchema OutputSchema { get; }

    public int InputCount => Mapping.InputSchema.Count;

    public bool IsMapped(int outputIndex) => outputIndex >= InputCount;

    /// <summary>
    /// The input columns needed to serve <paramref name="active"/> output columns: the passed-through ones, plus the
    /// mapping's inputs when any appended column is active.
    /// </summary>
    public List<DataViewSchema.Column> Dependencies(IEnumerable<DataViewSchema.Column> active, out bool[] activeMapped)
    {
        activeMapped = new bool[Mapping.Columns.Count];
        var needed = new HashSet<int>();
        bool anyMapped = false;
        foreach (var column in active)
        {
            if (column.Index < 0 || column.Index >= OutputSchema.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(active), $"Column '{column.Name}' (index {column.Index}) is not in this schema.");
            }

            if (IsMapped(column.Index))
            {
                activeMapped[column.Index - InputCount] = true;
                anyMapped = true;
            }
            else
            {
                needed.Add(column.Index);
            }
        }

        if (anyMapped)
        {
            foreach (var input in Mapping.Inputs)
            {
                needed.Add(input.Index);
            }
        }

        var result = new List<DataViewSchema.Column>(needed.Count);
        foreach (int index in needed.Order())
        {
            result.Add(Mapping.InputSchema[index]);
        }

        return result;
    }
}
