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

    /// <summary>The output length for images of <paramref name="input"/>'s shape, and a factory of per-thread feature functions.</summary>
    private protected abstract (int Length, Func<ImageFeatureFunction> CreateWorker) Compile(ImageColumn input);

    /// <summary>Writes the input, output and thread settings; the derived state follows.</summary>
    private protected void WriteCommonState(BinaryWriter writer)
    {
        Source.Write(writer);
        writer.WriteUtf8(OutputColumnName);
        writer.Write(Threads ?? 0);
    }

    private protected static (ImageSource Source, string Output, int? Threads) ReadCommonState(ModelStateReader reader)
    {
        var source = ImageSource.Read(reader);
        string output = reader.ReadString("output column");
        int threads = reader.ReadInt32("number of threads", 0);
        return (source, output, threads == 0 ? null : threads);
    }

    private protected override RowMapping Bind(DataViewSchema inputSchema)
    {
        var input = Source.Bind(inputSchema);
        var (length, createWorker) = Compile(input);
        return new ImageFeatureRowMapping(inputSchema, input, OutputColumnName, length, createWorker, Threads);
    }
}
