using MLNet.KnnLinear.MlNetInterop;
using static MLNet.KnnLinear.MlNetInterop.OnnxAttribute;

namespace MLNet.KnnLinear.Pipeline;

/// <summary>
/// The ONNX operators our exports use, one method each, so an export reads as the computation it mirrors. Every
/// operator here has the same inputs, attributes and meaning in opsets 11 and 12.
/// </summary>
internal static class OnnxOps
{
    public static string Cast(this OnnxGraph g, string x, Type to) => g.Op("Cast", [x], To(to));

    public static string Add(this OnnxGraph g, string a, string b) => g.Op("Add", [a, b]);

    public static string Sub(this OnnxGraph g, string a, string b) => g.Op("Sub", [a, b]);

    public static string Mul(this OnnxGraph g, string a, string b) => g.Op("Mul", [a, b]);

    public static string Div(this OnnxGraph g, string a, string b) => g.Op("Div", [a, b]);

    public static string Max(this OnnxGraph g, string a, string b) => g.Op("Max", [a, b]);

    public static string Min(this OnnxGraph g, string a, string b) => g.Op("Min", [a, b]);

    public static string Neg(this OnnxGraph g, string x) => g.Op("Neg", [x]);

    public static string Sqrt(this OnnxGraph g, string x) => g.Op("Sqrt", [x]);

    public static string Abs(this OnnxGraph g, string x) => g.Op("Abs", [x]);

    public static string Floor(this OnnxGraph g, string x) => g.Op("Floor", [x]);

    public static string Equal(this OnnxGraph g, string a, string b) => g.Op("Equal", [a, b]);

    public static string Less(this OnnxGraph g, string a, string b) => g.Op("Less", [a, b]);

    public static string Greater(this OnnxGraph g, string a, string b) => g.Op("Greater", [a, b]);

    /// <summary>a ≥ b as not (a &lt; b): GreaterOrEqual is opset 12 only. (NaN compares false either way round.)</summary>
    public static string NotLess(this OnnxGraph g, string a, string b) => g.Op("Not", [g.Less(a, b)]);

    public static string Not(this OnnxGraph g, string x) => g.Op("Not", [x]);

    public static string And(this OnnxGraph g, string a, string b) => g.Op("And", [a, b]);

    public static string Or(this OnnxGraph g, string a, string b) => g.Op("Or", [a, b]);

    public static string Where(this OnnxGraph g, string condition, string whenTrue, string whenFalse) => g.Op("Where", [condition, whenTrue, whenFalse]);

    public static string Reshape(this OnnxGraph g, string x, params long[] shape) => g.Op("Reshape", [x, g.Vector(shape)]);

    public static string Unsqueeze(this OnnxGraph g, string x, params long[] axes) => g.Op("Unsqueeze", [x], Of("axes", axes));

    public static string Transpose(this OnnxGraph g, string x, params long[] permutation) => g.Op("Transpose", [x], Of("perm", permutation));

    public static string Concat(this OnnxGraph g, long axis, params string[] inputs) => g.Op("Concat", inputs, Of("axis", axis));

    public static string Slice(this OnnxGraph g, string x, long[] starts, long[] ends, long[] axes, long[]? steps = null)
        => g.Op("Slice", steps is null
            ? [x, g.Vector(starts), g.Vector(ends), g.Vector(axes)]
            : [x, g.Vector(starts), g.Vector(ends), g.Vector(axes), g.Vector(steps)]);

    /// <summary>Zero padding: <paramref name="pads"/> as ONNX orders them (all begins, then all ends).</summary>
    public static string Pad(this OnnxGraph g, string x, params long[] pads) => g.Op("Pad", [x, g.Vector(pads)]);

    public static string ReduceSum(this OnnxGraph g, string x, long[] axes, bool keepDims) => g.Op("ReduceSum", [x], Of("axes", axes), Of("keepdims", keepDims ? 1L : 0L));

    public static string ReduceSumSquare(this OnnxGraph g, string x, long[] axes, bool keepDims) => g.Op("ReduceSumSquare", [x], Of("axes", axes), Of("keepdims", keepDims ? 1L : 0L));

    public static string ReduceL1(this OnnxGraph g, string x, long[] axes, bool keepDims) => g.Op("ReduceL1", [x], Of("axes", axes), Of("keepdims", keepDims ? 1L : 0L));

    public static string ReduceMax(this OnnxGraph g, string x, long[] axes, bool keepDims) => g.Op("ReduceMax", [x], Of("axes", axes), Of("keepdims", keepDims ? 1L : 0L));

    /// <summary>The index of the first maximum along <paramref name="axis"/> (ONNX Runtime keeps the first on ties in opset 11 too).</summary>
    public static string ArgMax(this OnnxGraph g, string x, long axis) => g.Op("ArgMax", [x], Of("axis", axis), Of("keepdims", 1L));

    public static string Gather(this OnnxGraph g, string data, string indices, long axis = 0) => g.Op("Gather", [data, indices], Of("axis", axis));

    public static string GatherElements(this OnnxGraph g, string data, string indices, long axis) => g.Op("GatherElements", [data, indices], Of("axis", axis));

    /// <summary>The k smallest along <paramref name="axis"/>, ascending; equal values in index order (TopK's rule).</summary>
    public static (string Values, string Indices) SmallestK(this OnnxGraph g, string x, long k, long axis)
    {
        var outputs = g.Op("TopK", [x, g.Vector(k)], 2, Of("axis", axis), Of("largest", 0L), Of("sorted", 1L));
        return (outputs[0], outputs[1]);
    }

    /// <summary>alpha · a · bᵀ + c (Gemm with transB).</summary>
    public static string GemmTransposed(this OnnxGraph g, string a, string b, string c, float alpha = 1f)
        => g.Op("Gemm", [a, b, c], Of("transB", 1L), Of("alpha", alpha), Of("beta", 1f));

    /// <summary>2-D convolution without padding, <paramref name="kernels"/> [out, in, height, width].</summary>
    public static string Conv(this OnnxGraph g, string x, string kernels, long strideDown, long strideAcross) => g.Op("Conv", [x, kernels], Of("strides", strideDown, strideAcross));

    public static string Softmax(this OnnxGraph g, string x, long axis) => g.Op("Softmax", [x], Of("axis", axis));

    /// <summary>Writes <paramref name="value"/> as output column <paramref name="column"/>.</summary>
    public static void SetColumn(this OnnxGraph g, MappedColumn column, string value) => g.Into("Identity", [value], [g.DeclareColumn(column.Name, column.Type)]);
}
