using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Pipeline;
using MLNet.KnnLinear.Search;

namespace MLNet.KnnLinear;

/// <summary>
/// Similarity search as a pipeline step, for data without labels: <c>Fit</c> indexes the feature vectors of its data
/// (the reference rows); the transformer appends, for each row it transforms, the row numbers of its k nearest
/// reference rows (a vector of Int32, nearest first, −1 where an approximate index found fewer) and their distances
/// (a vector of Single, +∞ there). Distances as <see cref="NeighborIndex.Search(ReadOnlySpan{float}, int, Span{int}, Span{float})"/> reports them.
/// </summary>
public sealed class NearestNeighborsEstimator : IEstimator<NearestNeighborsTransformer>
{
    private readonly IHostEnvironment _env;
    private readonly Options _options;

    internal NearestNeighborsEstimator(IHostEnvironment env, Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _env = env;
        _options = options;
    }

    /// <summary>Reads the feature column of <paramref name="input"/> once and builds the index.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or not a known-size Single or Byte vector, or k or an index option is out of range.</exception>
    /// <exception cref="InvalidOperationException">A feature is NaN, infinite or beyond ±1e15.</exception>
    public NearestNeighborsTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = ColumnChecks.Require(input.Schema, _options.InputColumnName, "Feature");
        var (dimension, bytes) = ColumnChecks.RequireFeatureVector(column, "Feature", allowBytes: true);
        using var cancellation = HostCancellation.Enter(_env);
        using var channel = _env.Start(nameof(NearestNeighborsEstimator));
        using var progress = HostProgress.Enter(channel);

        // The same fit as the kNN trainer's: an exact index takes the rows straight into its layout.
        var fit = new NeighborIndexFit(dimension, _options.Distance, _options.Index.Seeded(HostSeed.Of(_env)), input.GetRowCount());
        using (var cursor = input.GetRowCursor([column]))
        {
            var reader = new FeatureRowReader(cursor, column, bytes);
            var row = new float[dimension];
            while (cursor.MoveNext())
            {
                reader.Read(row);
                fit.Append(row);
            }
        }

        if (fit.Count < _options.NumberOfNeighbors)
        {
            throw new ArgumentOutOfRangeException(nameof(Options.NumberOfNeighbors), _options.NumberOfNeighbors, $"NumberOfNeighbors ({_options.NumberOfNeighbors}) must not exceed the number of rows ({fit.Count}).");
        }

        var index = fit.Build(_options.NumberOfThreads ?? 0);
        return new NearestNeighborsTransformer(index, _options.InputColumnName, _options.OutputColumnName, _options.DistancesColumnName ?? _options.OutputColumnName + "Distances", _options.NumberOfNeighbors);
    }

    /// <summary>The input schema plus the row-number and distance vector columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var column = ColumnChecks.Require(inputSchema, _options.InputColumnName, "Feature");
        if (!(column.Kind == SchemaShape.Column.VectorKind.Vector && !column.IsKey && (column.ItemType == NumberDataViewType.Single || column.ItemType == NumberDataViewType.Byte)))
        {
            ColumnChecks.RequireFloatVector(column, "Feature");
        }

        return SchemaShapes.Append(
            inputSchema,
            SchemaShapes.Vector(_options.OutputColumnName, NumberDataViewType.Int32),
            SchemaShapes.Vector(_options.DistancesColumnName ?? _options.OutputColumnName + "Distances", NumberDataViewType.Single));
    }

    /// <summary>Options of <see cref="NearestNeighborsEstimator"/>.</summary>
    public sealed class Options
    {
        /// <summary>The feature vector column (known size, Single or Byte). Default "Features".</summary>
        public string InputColumnName { get; set; } = "Features";

        /// <summary>The appended row-number column (vector of Int32). Default "Neighbors".</summary>
        public string OutputColumnName { get; set; } = "Neighbors";

        /// <summary>The appended distance column (vector of Single). Default: the output name + "Distances".</summary>
        public string? DistancesColumnName { get; set; }

        /// <summary>k, neighbours per row, at least 1 and at most the reference rows. Default 10.</summary>
        public int NumberOfNeighbors { get; set; } = 10;

        /// <summary>The distance. Default <see cref="KnnDistance.L2"/>.</summary>
        public KnnDistance Distance { get; set; } = KnnDistance.L2;

        /// <summary>The index kind: exact (default), <see cref="IvfIndexOptions"/> or <see cref="HnswIndexOptions"/>.</summary>
        public NeighborIndexOptions Index { get; set; } = new ExactIndexOptions();

        /// <summary>Threads for building and searching; null uses every core. Results do not depend on it; not saved.</summary>
        public int? NumberOfThreads { get; set; }

        internal void Validate()
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(InputColumnName, nameof(InputColumnName));
            ArgumentException.ThrowIfNullOrWhiteSpace(OutputColumnName, nameof(OutputColumnName));
            if (NumberOfNeighbors < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(NumberOfNeighbors), NumberOfNeighbors, "NumberOfNeighbors (k) must be at least 1.");
            }

            if (!Enum.IsDefined(Distance))
            {
                throw new ArgumentOutOfRangeException(nameof(Distance), Distance, $"Distance must be one of {string.Join(", ", Enum.GetNames<KnnDistance>())}.");
            }

            if (Index is null)
            {
                throw new ArgumentOutOfRangeException(nameof(Index), "Index must be ExactIndexOptions, IvfIndexOptions or HnswIndexOptions, not null.");
            }

            if (NumberOfThreads is < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(NumberOfThreads), NumberOfThreads, "NumberOfThreads must be at least 1, or null for every core.");
            }
        }
    }
}
