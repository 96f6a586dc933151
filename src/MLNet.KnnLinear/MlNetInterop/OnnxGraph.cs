using Microsoft.ML.Data;
using Microsoft.ML.Model.OnnxConverter;

namespace MLNet.KnnLinear.MlNetInterop;

/// <summary>
/// One component's part of an ONNX graph, written through ML.NET's export context (internal to ML.NET, so it stays
/// in this folder). Components build their nodes with this class only: standard-domain operators of opset
/// <see cref="MinimumOpset"/> that mean the same in every opset up to 12, the highest ML.NET's converter writes.
/// </summary>
internal sealed class OnnxGraph
{
    /// <summary>
    /// TopK's <c>largest</c>, GatherElements, Pad's pads input and Slice's steps need opset 11; ML.NET's converter
    /// writes 12 unless asked for less.
    /// </summary>
    public const int MinimumOpset = 11;

    private readonly OnnxContext _context;
    private readonly string _prefix;

    internal OnnxGraph(OnnxContext context, string prefix)
    {
        _context = context;
        _prefix = prefix;
    }

    /// <summary>The graph variable holding input column <paramref name="column"/> (a graph input or an earlier step's output).</summary>
    public string Column(string column)
        => _context.ContainsColumn(column)
            ? _context.GetVariableName(column)
            : throw new InvalidOperationException($"ONNX export of {_prefix}: column '{column}' has no value in the graph (a step before it could not be exported, or it was dropped).");

    /// <summary>Declares output column <paramref name="column"/> of <paramref name="type"/>; returns the variable to write it into.</summary>
    public string DeclareColumn(string column, DataViewType type) => _context.AddIntermediateVariable(type, column);

    /// <summary>Adds a standard-domain node with one output; returns the output variable.</summary>
    public string Op(string opType, string[] inputs, params OnnxAttribute[] attributes) => Op(opType, inputs, 1, attributes)[0];

    /// <summary>Adds a standard-domain node with <paramref name="outputs"/> outputs.</summary>
    public string[] Op(string opType, string[] inputs, int outputs, params OnnxAttribute[] attributes)
    {
        var names = new string[outputs];
        for (int i = 0; i < outputs; i++)
        {
            // A temporary is registered as a (never shown) column of a name no data view uses.
            names[i] = _context.AddIntermediateVariable(null, $"{_prefix}.{opType}", skip: true);
        }

        Into(opType, inputs, names, attributes);
        return names;
    }

    /// <summary>Adds a standard-domain node writing into existing variables (e.g. declared output columns).</summary>
    public void Into(string opType, string[] inputs, string[] outputs, params OnnxAttribute[] attributes)
    {
        var node = _context.CreateNode(opType, inputs, outputs, _context.GetNodeName($"{_prefix}.{opType}"), "");
        foreach (var attribute in attributes)
        {
            switch (attribute.Value)
            {
                case long value:
                    node.AddAttribute(attribute.Name, value);
                    break;
                case long[] values:
                    node.AddAttribute(attribute.Name, values);
                    break;
                case float value:
                    node.AddAttribute(attribute.Name, (double)value);
                    break;
                case Type type:
                    node.AddAttribute(attribute.Name, type);
                    break;
                default:
                    throw new ArgumentException($"Unsupported ONNX attribute value {attribute.Value} for '{attribute.Name}'.", nameof(attributes));
            }
        }
    }

    /// <summary>A float constant of shape <paramref name="dims"/>.</summary>
    public string Floats(IEnumerable<float> values, params long[] dims) => _context.AddInitializer(values, dims, $"{_prefix}.constant");

    /// <summary>A double constant of shape <paramref name="dims"/>.</summary>
    public string Doubles(IEnumerable<double> values, params long[] dims) => _context.AddInitializer(values, dims, $"{_prefix}.constant");

    /// <summary>An int64 constant of shape <paramref name="dims"/>.</summary>
    public string Longs(IEnumerable<long> values, params long[] dims) => _context.AddInitializer(values, dims, $"{_prefix}.constant");

    /// <summary>A float scalar.</summary>
    public string Float(float value) => _context.AddInitializer(value, $"{_prefix}.constant");

    /// <summary>A double scalar.</summary>
    public string Double(double value) => _context.AddInitializer(value, $"{_prefix}.constant");

    /// <summary>An int64 scalar.</summary>
    public string Long(long value) => _context.AddInitializer(value, $"{_prefix}.constant");

    /// <summary>A one-dimensional int64 constant (shapes, axes, slice bounds).</summary>
    public string Vector(params long[] values) => Longs(values, values.Length);
}

/// <summary>A node attribute: long, long[], float or a tensor element type (for Cast's <c>to</c>).</summary>
internal readonly record struct OnnxAttribute(string Name, object Value)
{
    public static OnnxAttribute Of(string name, long value) => new(name, value);

    public static OnnxAttribute Of(string name, params long[] values) => new(name, values);

    public static OnnxAttribute Of(string name, float value) => new(name, value);

    public static OnnxAttribute To(Type type) => new("to", type);
}
