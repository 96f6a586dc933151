using Microsoft.ML;
using MLNet.KnnLinear.Imaging;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear;

/// <summary>
/// The base of the image featurizers' transformers: reads an image column or pixel vector, appends one known-size
/// vector of Single computed per image, in blocks of rows spread over threads.
/// </summary>
public abstract class ImageFeaturizerTransformer : RowMappingTransformer
{
    private protected ImageFeaturizerTransformer(ImageSource source, string outputColumnName, int? threads)
    {
        Source = source;
        OutputColumnName = outputColumnName;
        Threads = threads;
    }

    /// <summary>The image or pixel-vector column read.</summary>
    public string InputColumnName => Source.Column;

    /// <summary>The appended feature column.</summary>
    public string OutputColumnName { get; }

    private protected ImageSource Source { get; }

    private protected int? Threads { get; }

    // The working block the last cursor gave back, reused by the next Transform call (SpareBlock).
    private readonly SpareBlock _spare = new();

    /// <summary>The output length for images of <paramref name="input"/>'s shape, and a factory of per-thread feature functions.</summary>
    private protected abstract (int Length, Func<ImageFeatureFunction> CreateWorker) Compile(ImageColumn input);

    /// <summary>How this featurizer is written as ONNX nodes (or why it cannot be).</summary>
    private protected abstract ImageOnnxExport OnnxExport();

    /// <summary>
    /// Writes the input and output settings; the derived state follows. The thread count is a runtime setting and is
    /// not saved (state version 2): a loaded featurizer uses every core.
    /// </summary>
    private protected void WriteCommonState(BinaryWriter writer)
    {
        Source.Write(writer);
        writer.WriteUtf8(OutputColumnName);
    }

    private protected static (ImageSource Source, string Output) ReadCommonState(ModelStateReader reader, int version)
    {
        var source = ImageSource.Read(reader);
        string output = reader.ReadString("output column");
        if (version == 1)
        {
            // Version 1 stored the training-time thread count; it is read past, not used.
            reader.ReadInt32("number of threads (version 1, ignored)", 0);
        }

        return (source, output);
    }

    /// <summary>The smallest Single pixel value this featurizer accepts (the default allows negatives).</summary>
    private protected virtual float MinPixel => -ImageColumn.MaxPixelMagnitude;

    private protected override RowMapping Bind(DataViewSchema inputSchema)
    {
        var input = Source.Bind(inputSchema) with { MinPixel = MinPixel };
        var (length, createWorker) = Compile(input);
        return new ImageFeatureRowMapping(inputSchema, input, OutputColumnName, length, createWorker, OnnxExport(), Threads, _spare);
    }
}
