using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Pipeline;
using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear;

/// <summary>
/// The k-nearest-neighbours multiclass trainer: memorises the training rows and predicts the majority class of the
/// k rows nearest to each query.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>Input</term><description>Label: key (use <c>MapValueToKey</c>); Features: known-size vector of Single, finite values within ±1e15 (beyond, float32 squared distances overflow; the row is refused naming the column), or of Byte (raw pixels: stored as bytes for L1 with no float copy of the data, widened one row at a time into the L2 / cosine panels).</description></item>
/// <item><term>Output</term><description><c>Score</c>: vote fractions, one slot per label key value; <c>PredictedLabel</c>: key with the label's <c>KeyValues</c>.</description></item>
/// <item><term>Fit</term><description>One pass over the data, O(rows × features); no normalisation is applied (add <c>NormalizeMeanVariance</c> when features have different scales).</description></item>
/// <item><term>Prediction</term><description>Exact search, O(training rows × features) per query, queries in blocks over <see cref="Options.NumberOfThreads"/> threads.</description></item>
/// <item><term>Ties</term><description>Equal distances: the lower training row number is nearer. Equal votes: the tied class that holds the nearest neighbour wins, whatever the key order, and the other tied classes' scores are lowered by one float step so that argmax(<c>Score</c>), which ML.NET's <c>Evaluate</c> reads, is <c>PredictedLabel</c>.</description></item>
/// <item><term>Exactness</term><description>On whole-number features in [−255, 255] (raw pixels) distances are exact (integer sums for L1; 256-feature float32 blocks, exact below 2^24, added in double for L2 and cosine); other features are ranked in float32.</description></item>
/// </list>
/// Rows whose label is missing (key value 0) are skipped, as ML.NET's trainers do. k larger than the number of
/// training rows is an error, as in scikit-learn (not silently clamped).
/// Reference: Cover and Hart, "Nearest neighbor pattern classification", IEEE Trans. Inf. Theory, 1967.
/// </remarks>
public sealed class KnnTrainer : ITrainerEstimator<KnnPredictionTransformer, KnnModelParameters>
{
    private readonly IHostEnvironment _env;
    private readonly string _label;
    private readonly string _features;
    private readonly int _k;
    private readonly KnnDistance _distance;
    private readonly KnnWeighting _weighting;
    private readonly int _threads;
    private readonly NeighborIndexOptions _index;

    internal KnnTrainer(IHostEnvironment env, Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _env = env;
        _label = options.LabelColumnName;
        _features = options.FeatureColumnName;
        _k = options.NumberOfNeighbors;
        _distance = options.Distance;
        _weighting = options.Weighting;
        _threads = options.NumberOfThreads ?? 0;
        _index = options.Index;
    }

    /// <summary>
    /// What ML.NET (and AutoML) read about the trainer: it reads the data once, so caching gains nothing; it ranks by
    /// distances on the features as given (raw pixels are what the CIFAR-10 recipe searches), so it does not ask for
    /// normalisation; no calibration, validation set or incremental training.
    /// </summary>
    public TrainerInfo Info { get; } = TrainerInfos.Create(normalization: false, caching: false);

    /// <summary>Memorises the labelled rows of <paramref name="input"/> in one pass.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type, or k exceeds the number of training rows.</exception>
    /// <exception cref="InvalidOperationException">No labelled rows, or a feature value that is NaN or infinite.</exception>
    public KnnPredictionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (label, features) = ColumnChecks.RequireLabelAndFeatures(input.Schema, _label, _features, allowByteFeatures: true);

        using var channel = _env.Start(nameof(KnnTrainer));
        using var cancellation = HostCancellation.Enter(_env);
        using var progress = HostProgress.Enter(channel);
        // The rows go straight from the cursor into the index's layout: one read, one copy of the data.
        int dimension = ColumnChecks.RequireFeatureVector(features, "Feature", allowBytes: true).Size;
        var fit = new NeighborIndexFit(dimension, _distance, _index.Seeded(HostSeed.Of(_env)), input.GetRowCount());
        var data = LabelledRows.Read(input, label, features, weight: null, sink: fit.Append, byteSink: fit.Append);
        CheckK(data.Count);
        var index = fit.Build(_threads);

        TrainingLog.Info(channel, $"k-NN memorised {data.Count} rows of {data.Dimension} features ({data.Skipped} rows with a missing label skipped).");
        var model = new KnnModelParameters(index, data.Classes, data.ClassCount, _k, _weighting);
        return new KnnPredictionTransformer(model, _features, LabelKeyValues.From(label));
    }

    private void CheckK(int rows)
    {
        if (_k > rows)
        {
            throw new ArgumentOutOfRangeException(nameof(Options.NumberOfNeighbors), _k, $"NumberOfNeighbors (k = {_k}) must not exceed the number of training rows ({rows}).");
        }
    }

    /// <summary>The input schema plus <c>Score</c> and <c>PredictedLabel</c>.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var label = ColumnChecks.RequireLabelAndFeatures(inputSchema, _label, _features, allowByteFeatures: true);
        return SchemaShapes.AppendPredictionColumns(inputSchema, label);
    }

    /// <summary>Options of <see cref="KnnTrainer"/>.</summary>
    public sealed class Options
    {
        /// <summary>The key-typed label column. Default "Label".</summary>
        public string LabelColumnName { get; set; } = "Label";

        /// <summary>The feature vector column (known size, Single or Byte). Default "Features".</summary>
        public string FeatureColumnName { get; set; } = "Features";

        /// <summary>k, the number of neighbours that vote; at least 1 and at most the number of training rows. Default 5.</summary>
        public int NumberOfNeighbors { get; set; } = 5;

        /// <summary>The distance neighbours are found by. Default <see cref="KnnDistance.L2"/>.</summary>
        public KnnDistance Distance { get; set; } = KnnDistance.L2;

        /// <summary>How votes are weighted. Default <see cref="KnnWeighting.Uniform"/>.</summary>
        public KnnWeighting Weighting { get; set; } = KnnWeighting.Uniform;

        /// <summary>
        /// How the training rows are searched: <see cref="ExactIndexOptions"/> (default: every row compared) or
        /// <see cref="IvfIndexOptions"/> (an inverted file: approximate, faster on large data).
        /// </summary>
        public NeighborIndexOptions Index { get; set; } = new ExactIndexOptions();

        /// <summary>
        /// Threads used for prediction by the model this trainer fits; null uses every core. Results do not depend on
        /// it. It is a runtime setting, not saved with the model: a loaded model uses every core.
        /// </summary>
        public int? NumberOfThreads { get; set; }

        internal void Validate()
        {
            if (string.IsNullOrWhiteSpace(LabelColumnName))
            {
                throw new ArgumentOutOfRangeException(nameof(LabelColumnName), LabelColumnName, "LabelColumnName must name a column.");
            }

            if (string.IsNullOrWhiteSpace(FeatureColumnName))
            {
                throw new ArgumentOutOfRangeException(nameof(FeatureColumnName), FeatureColumnName, "FeatureColumnName must name a column.");
            }

            if (NumberOfNeighbors < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(NumberOfNeighbors), NumberOfNeighbors, "NumberOfNeighbors (k) must be at least 1.");
            }

            if (!Enum.IsDefined(Distance))
            {
                throw new ArgumentOutOfRangeException(nameof(Distance), Distance, $"Distance must be one of {string.Join(", ", Enum.GetNames<KnnDistance>())}.");
            }

            if (!Enum.IsDefined(Weighting))
            {
                throw new ArgumentOutOfRangeException(nameof(Weighting), Weighting, $"Weighting must be one of {string.Join(", ", Enum.GetNames<KnnWeighting>())}.");
            }

            if (Index is null)
            {
                throw new ArgumentOutOfRangeException(nameof(Index), "Index must be an ExactIndexOptions or IvfIndexOptions, not null.");
            }

            if (NumberOfThreads is < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(NumberOfThreads), NumberOfThreads, "NumberOfThreads must be at least 1, or null for every core.");
            }
        }
    }
}
