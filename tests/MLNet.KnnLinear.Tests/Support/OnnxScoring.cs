using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MLNet.KnnLinear.Tests.Support;

/// <summary>Exports a fitted pipeline with ML.NET's converter and scores the file with ONNX Runtime directly.</summary>
public static class OnnxScoring
{
    /// <summary>The ONNX file <c>ConvertToOnnx</c> writes for <paramref name="model"/> on <paramref name="data"/> (opset: the converter's default, 12).</summary>
    public static byte[] Export(MLContext ml, ITransformer model, IDataView data, int? opset = null)
    {
        using var stream = new MemoryStream();
        if (opset is int version)
        {
            ml.Model.ConvertToOnnx(model, data, version, stream);
        }
        else
        {
            ml.Model.ConvertToOnnx(model, data, stream);
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Runs <paramref name="onnx"/> over every row of <paramref name="data"/>, <paramref name="batchSize"/> rows a call, each
    /// graph input fed from the column of its name in the data at the start of <paramref name="data"/>'s chain of transforms. Per output name, the rows' values as doubles.
    /// </summary>
    public static Dictionary<string, List<double[]>> Run(byte[] onnx, IDataView data, int batchSize)
    {
        using var options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount };
        using var session = new InferenceSession(onnx, options);
        // The graph's inputs are the columns of the data at the start of the chain of transforms (as the exporter walks it).
        var root = MlNetInterop.DataViewChain.Root(data);
        var columns = session.InputMetadata.ToDictionary(i => i.Key, i => Feed(root, i.Key));
        long rows = columns.Values.First().Rows;
        var results = session.OutputMetadata.Keys.ToDictionary(k => k, _ => new List<double[]>());
        for (long first = 0; first < rows; first += batchSize)
        {
            int count = (int)Math.Min(batchSize, rows - first);
            var inputs = columns.Select(c => c.Value.Batch(c.Key, (int)first, count)).ToList();
            using var outputs = session.Run(inputs);
            foreach (var output in outputs)
            {
                var values = ToDoubles(output);
                int width = values.Length / count;
                for (int r = 0; r < count; r++)
                {
                    results[output.Name].Add(values.AsSpan(r * width, width).ToArray());
                }
            }
        }

        return results;
    }

    /// <summary>Per row, the values of a Single, UInt32 or Int32 vector column, or of a key column as its key number.</summary>
    public static List<double[]> ReadColumn(IDataView data, string name)
    {
        var column = data.Schema[name];
        var values = new List<double[]>();
        using var cursor = data.GetRowCursor([column]);
        if (column.Type is VectorDataViewType { ItemType: var item } && item == NumberDataViewType.UInt32)
        {
            values.AddRange(ReadVectors<uint>(cursor, column, v => v));
        }
        else if (column.Type is VectorDataViewType { ItemType: var integer } && integer == NumberDataViewType.Int32)
        {
            values.AddRange(ReadVectors<int>(cursor, column, v => v));
        }
        else if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> buffer = default;
            while (cursor.MoveNext())
            {
                getter(ref buffer);
                values.Add(buffer.DenseValues().Select(v => (double)v).ToArray());
            }
        }
        else
        {
            var getter = cursor.GetGetter<uint>(column);
            uint key = 0;
            while (cursor.MoveNext())
            {
                getter(ref key);
                values.Add([key]);
            }
        }

        return values;
    }

    private static IEnumerable<double[]> ReadVectors<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, double> widen)
    {
        var getter = cursor.GetGetter<VBuffer<T>>(column);
        VBuffer<T> buffer = default;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            yield return buffer.DenseValues().Select(widen).ToArray();
        }
    }

    private static double[] ToDoubles(DisposableNamedOnnxValue value) => value.Value switch
    {
        Tensor<float> t => t.ToArray().Select(v => (double)v).ToArray(),
        Tensor<uint> t => t.ToArray().Select(v => (double)v).ToArray(),
        Tensor<long> t => t.ToArray().Select(v => (double)v).ToArray(),
        Tensor<int> t => t.ToArray().Select(v => (double)v).ToArray(),
        Tensor<double> t => t.ToArray(),
        _ => [],
    };

    private static InputColumn Feed(IDataView data, string inputName)
    {
        var column = data.Schema.GetColumnOrNull(inputName) ?? throw new InvalidOperationException($"The data has no column for graph input '{inputName}'.");
        using var cursor = data.GetRowCursor([column]);
        return column.Type switch
        {
            VectorDataViewType { ItemType: var item } vector when item == NumberDataViewType.Byte => InputColumn.Of(Read<byte>(cursor, column, vector.Size), vector.Size),
            VectorDataViewType { ItemType: var item } vector when item == NumberDataViewType.Single => InputColumn.Of(Read<float>(cursor, column, vector.Size), vector.Size),
            KeyDataViewType => InputColumn.Of(ReadScalar<uint>(cursor, column), 1),
            TextDataViewType => InputColumn.Of(ReadScalar<ReadOnlyMemory<char>>(cursor, column).Select(t => t.ToString()).ToList(), 1),
            _ when column.Type == NumberDataViewType.Single => InputColumn.Of(ReadScalar<float>(cursor, column), 1),
            _ => throw new InvalidOperationException($"Graph input '{inputName}' has a column type this helper does not feed: {column.Type}."),
        };
    }

    private static List<T> Read<T>(DataViewRowCursor cursor, DataViewSchema.Column column, int size)
    {
        var getter = cursor.GetGetter<VBuffer<T>>(column);
        var all = new List<T>();
        VBuffer<T> buffer = default;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            all.AddRange(buffer.DenseValues());
        }

        return all;
    }

    private static List<T> ReadScalar<T>(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<T>(column);
        var all = new List<T>();
        T value = default!;
        while (cursor.MoveNext())
        {
            getter(ref value);
            all.Add(value);
        }

        return all;
    }

    private sealed class InputColumn(long rows, Func<string, int, int, NamedOnnxValue> batch)
    {
        public long Rows => rows;

        public NamedOnnxValue Batch(string name, int first, int count) => batch(name, first, count);

        public static InputColumn Of<T>(List<T> values, int width)
        {
            var array = values.ToArray();
            return new InputColumn(array.Length / width, (name, first, count) =>
                NamedOnnxValue.CreateFromTensor(name, new DenseTensor<T>(array.AsMemory(first * width, count * width), [count, width])));
        }
    }
}
