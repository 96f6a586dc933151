using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.KnnLinear.MlNetInterop;

/// <summary>Walks a data view's chain of transforms (<c>IDataTransform</c>, internal to ML.NET) as its ONNX exporter does.</summary>
internal static class DataViewChain
{
    /// <summary>The data at the start of the chain: the exporter makes its columns the graph's inputs.</summary>
    public static IDataView Root(IDataView view)
    {
        while (view is IDataTransform transform)
        {
            view = transform.Source;
        }

        return view;
    }
}
