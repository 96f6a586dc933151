using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Imaging;
using MLNet.KnnLinear.MlNetInterop;

namespace MLNet.KnnLinear;

/// <summary>
/// The base of the image featurizers' estimators: nothing is learned, so Fit checks the input column and returns
/// the transformer; the output is a known-size vector of Single.
/// </summary>
/// <typeparam name="TTransformer">The featurizer's transformer.</typeparam>
public abstract class ImageFeaturizerEstimator<TTransformer> : IEstimator<TTransformer>
    where TTransformer : ImageFeaturizerTransformer
{
    private protected ImageFeaturizerEstimator(ImageFeaturizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Source = options.ToSource();
        OutputColumnName = options.OutputColumnName;
        Threads = options.NumberOfThreads;
    }

    private protected ImageSource Source { get; }

    private protected string OutputColumnName { get; }

    private protected int? Threads { get; }

    /// <summary>Checks the input column and returns the transformer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing, of the wrong type or size, or its images are too small for the featurizer.</exception>
    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = CreateTransformer();
        transformer.GetOutputSchema(input.Schema);
        return transformer;
    }

    /// <summary>The input schema plus the output column (a known-size vector of Single).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        Source.Check(inputSchema);
        return SchemaShapes.Append(inputSchema, SchemaShapes.Vector(OutputColumnName, NumberDataViewType.Single));
    }

    private protected abstract TTransformer CreateTransformer();
}
