using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Model.OnnxConverter;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.MlNetInterop;

/// <summary>
/// The data view our transformers return. ML.NET's <c>ConvertToOnnx</c> walks a pipeline's output back through
/// <see cref="IDataTransform.Source"/> and asks each view for its ONNX nodes; a view that is not an
/// <c>ITransformCanSaveOnnx</c> ends the walk and the exporter silently writes a graph that copies the pipeline's
/// output columns from graph inputs. So every view we return is one, and a component that cannot be exported
/// throws at export, naming itself and the option, instead of saying it cannot (which would bring the silent graph back).
/// </summary>
internal sealed class OnnxExportableDataView(IDataView source, RowMapping mapping) : MappedDataView(source, mapping), ITransformCanSaveOnnx
{
    IDataView IDataTransform.Source => Source;

    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException($"{Mapping.ComponentName}'s output data view is not saved on its own; save the fitted transformer with mlContext.Model.Save.");

    bool ICanSaveOnnx.CanSaveOnnx(OnnxContext ctx)
    {
        Mapping.CheckOnnxExport();
        ctx.CheckOpSetVersion(OnnxGraph.MinimumOpset, Mapping.ComponentName);
        RejectImageColumnsAtTheRoot();
        return true;
    }

    // The exporters assume what CheckOnnxExport checks; ML.NET asks CanSaveOnnx first, and this checks again for any other caller.
    void ISaveAsOnnx.SaveAsOnnx(OnnxContext ctx)
    {
        Mapping.CheckOnnxExport();
        Mapping.ExportOnnx(new OnnxGraph(ctx, Mapping.ComponentName));
    }

    /// <summary>
    /// The exporter makes every column of the pipeline's input data a graph input, and ONNX has no image type: it
    /// fails on an MLImage column with "Unsupported type", for ML.NET's own models too. Said here with the remedy.
    /// </summary>
    private void RejectImageColumnsAtTheRoot()
    {
        var root = DataViewChain.Root(Source);
        var image = root.Schema.FirstOrDefault(c => !c.IsHidden && c.Type is Microsoft.ML.Transforms.Image.ImageDataViewType);
        if (image.Name is not null)
        {
            throw new InvalidOperationException(
                $"ONNX export: the input data has the image column '{image.Name}', and ONNX has no image type (ML.NET's exporter refuses it for every model). " +
                "Export from a view of the pixels without it: LoadFromCifar10(..., includeImages: false), or mlContext.Transforms.DropColumns before the data is passed.");
        }
    }
}
