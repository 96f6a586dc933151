using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using ITrainerEstimator = Microsoft.ML.Trainers.ITrainerEstimator<MLNet.KnnLinear.LinearPredictionTransformer, MLNet.KnnLinear.LinearModelParameters>;
using MLNet.KnnLinear.Kernels;
using MLNet.KnnLinear.Linear;
using MLNet.KnnLinear.Linear.Losses;
using MLNet.KnnLinear.Linear.Optimization;
using MLNet.KnnLinear.Linear.Regularizers;
using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear;

/// <summary>
/// The multiclass linear classifier: scores s = W x + b, trained by minimising
/// L(W, b) = (1 / Σw) Σᵢ wᵢ Lᵢ + λ R(W), with Lᵢ the multiclass SVM hinge (Weston–Watkins, margin Δ), the softmax
/// cross-entropy, the Weston–Watkins squared hinge or the one-versus-rest squared hinge of scikit-learn's LinearSVC
/// (see <see cref="LinearLoss"/>), and R = Σ W² (L2), Σ |W| (L1), ρ Σ |W| + (1 − ρ) Σ W² (elastic net) or 0. The
/// biases are not regularized.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>Input</term><description>Label: key (use <c>MapValueToKey</c>); Features: known-size vector of Single; optional example weight (Single, ≥ 0).</description></item>
/// <item><term>Output</term><description><c>Score</c>: softmax(s) for every loss (for the hinge losses a monotone mapping of the scores to probabilities, not calibrated); <c>PredictedLabel</c>: argmax, key with the label's <c>KeyValues</c>.</description></item>
/// <item><term>Default solver</term><description>Full-batch L-BFGS; OWL-QN with an L1 part; for <see cref="LinearLoss.Hinge"/> the Huber-smoothed hinge with smoothing μ = 1, 0.1, …, 1e-4 (warm-started), so the minimum of the stated objective is approached; the squared hinges are smooth and minimised directly. Stops when the relative decrease stays below <see cref="Options.Tolerance"/> for 3 iterations.</description></item>
/// <item><term>SGD</term><description><see cref="LinearSolver.MiniBatchSgd"/>: batches read from the cursor (data need not fit in memory), momentum, learning rate × decay per epoch, early stopping on a validation fraction with patience.</description></item>
/// <item><term>Determinism</term><description>Same data and seed give the same model bits, whatever the thread count.</description></item>
/// </list>
/// Features are used as given: normalise them first (e.g. <c>NormalizeMeanVariance</c>) for fast convergence.
/// References: Weston and Watkins, "Support vector machines for multi-class pattern recognition", ESANN 1999;
/// Fan et al., "LIBLINEAR: a library for large linear classification", JMLR 2008 (the one-versus-rest L2-loss SVM);
/// Andrew and Gao, "Scalable training of L1-regularized log-linear models", ICML 2007.
/// </remarks>
public sealed class LinearClassifierTrainer : ITrainerEstimator
{
    private static readonly double[] HingeSmoothingSchedule = [1, 1e-1, 1e-2, 1e-3, 1e-4];

    private readonly IHostEnvironment _env;
    private readonly Options _options;

    internal LinearClassifierTrainer(IHostEnvironment env, Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _env = env;
        _options = options.Clone();
    }

    /// <summary>
    /// What ML.NET (and AutoML) read about the trainer: it wants normalised features (the solvers converge far faster
    /// on them); the full-batch solvers read the data into memory once, while mini-batch SGD reads it every epoch, so
    /// only SGD asks for a cache, and only SGD takes a validation set (<see cref="Fit(IDataView, IDataView)"/>, for its
    /// early stopping); no calibration or incremental training.
    /// </summary>
    public TrainerInfo Info => TrainerInfos.Create(normalization: true, caching: _options.Solver == LinearSolver.MiniBatchSgd, validation: _options.Solver == LinearSolver.MiniBatchSgd);

    /// <summary>Trains on <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type.</exception>
    /// <exception cref="InvalidOperationException">No labelled rows, a NaN/infinite feature, or a negative weight.</exception>
    public LinearPredictionTransformer Fit(IDataView input) => FitCore(input, validationData: null);

    /// <summary>
    /// Trains on <paramref name="trainData"/>, stopping early on the loss over <paramref name="validationData"/> (as
    /// LightGbm's <c>Fit(train, validation)</c> does): mini-batch SGD measures it after each epoch, stops after
    /// <see cref="Options.EarlyStoppingPatience"/> epochs without improvement and keeps the best epoch's weights. Every
    /// training row is trained on (<see cref="Options.ValidationFraction"/> is not used). The validation set has the
    /// training data's label, feature (and weight) columns, of the same types.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type in either set.</exception>
    /// <exception cref="InvalidOperationException">The solver is not <see cref="LinearSolver.MiniBatchSgd"/> (the full-batch solvers have no early stopping); no labelled rows, a NaN/infinite feature, or a negative weight.</exception>
    public LinearPredictionTransformer Fit(IDataView trainData, IDataView validationData)
    {
        ArgumentNullException.ThrowIfNull(validationData);
        return FitCore(trainData, validationData);
    }

    private LinearPredictionTransformer FitCore(IDataView input, IDataView? validationData)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (label, features) = ColumnChecks.RequireLabelAndFeatures(input.Schema, _options.LabelColumnName, _options.FeatureColumnName);
        DataViewSchema.Column? weight = null;
        if (_options.ExampleWeightColumnName is { } weightName)
        {
            weight = ColumnChecks.Require(input.Schema, weightName, "Weight");
            if (weight.Value.Type != NumberDataViewType.Single)
            {
                throw new ArgumentOutOfRangeException(nameof(input), $"Weight column '{weightName}' must be Single; found {weight.Value.Type}.");
            }
        }

        var validation = validationData is null ? null : ValidationColumns(validationData, label, features, weight);
        using var channel = _env.Start(nameof(LinearClassifierTrainer));
        using var cancellation = HostCancellation.Enter(_env);
        using var progress = HostProgress.Enter(channel);
        var regularizer = Regularizer.Create(_options.Regularization, _options.Lambda, _options.L1Ratio);
        var model = _options.Solver == LinearSolver.MiniBatchSgd
            ? new MiniBatchSgd(_options.WithSeed(HostSeed.Resolve(_options.Seed, _env)), regularizer, channel).Train(input, label, features, weight, validation)
            : TrainQuasiNewton(input, label, features, weight, regularizer, channel);
        return new LinearPredictionTransformer(model, _options.FeatureColumnName, LabelKeyValues.From(label));
    }

    /// <summary>The validation set's columns, by the training columns' names and of their types.</summary>
    private ValidationData ValidationColumns(IDataView validationData, DataViewSchema.Column label, DataViewSchema.Column features, DataViewSchema.Column? weight)
    {
        if (_options.Solver != LinearSolver.MiniBatchSgd)
        {
            throw new InvalidOperationException($"A validation set is for mini-batch SGD's early stopping; Solver is {_options.Solver}, which has none. Fit(trainData) alone, or set Solver = {nameof(LinearSolver.MiniBatchSgd)}.");
        }

        DataViewSchema.Column Same(DataViewSchema.Column column, string role)
        {
            var found = ColumnChecks.Require(validationData.Schema, column.Name, role);
            if (!found.Type.Equals(column.Type))
            {
                throw new ArgumentOutOfRangeException(nameof(validationData), $"{role} column '{column.Name}' of the validation set is {found.Type}; the training data's is {column.Type}.");
            }

            return found;
        }

        return new ValidationData(validationData, Same(label, "Label"), Same(features, "Feature"), weight is { } w ? Same(w, "Weight") : null);
    }

    /// <summary>The input schema plus <c>Score</c> and <c>PredictedLabel</c>.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var label = ColumnChecks.RequireLabelAndFeatures(inputSchema, _options.LabelColumnName, _options.FeatureColumnName);
        return SchemaShapes.AppendPredictionColumns(inputSchema, label);
    }

    private LinearModelParameters TrainQuasiNewton(IDataView input, DataViewSchema.Column label, DataViewSchema.Column features, DataViewSchema.Column? weight, Regularizer regularizer, IChannel channel)
    {
        var data = LabelledRows.Read(input, label, features, weight, paddingRows: DotTile.Rows);
        RequireTrainable(data.Classes, data.Weights, label, weight);
        int classes = data.ClassCount;
        int dimension = data.Dimension;
        TrainingLog.Info(channel, $"Linear classifier: {data.Count} rows × {dimension} features, {classes} classes, {_options.Loss} loss, {_options.Regularization} λ = {_options.Lambda}.");
        var objective = new LinearObjective(data.Features, data.Classes, data.Weights, dimension, classes, LinearLosses.Create(_options.Loss, _options.Margin), regularizer, _options.NumberOfThreads ?? 0);
        var theta = new double[objective.ParameterCount];
        var trace = new OptimizationTrace();
        double[] schedule = _options.Loss == LinearLoss.Hinge ? HingeSmoothingSchedule : [0];
        foreach (double smoothing in schedule)
        {
            // Smoothed stages only warm-start the next one: a looser tolerance there saves most of the work.
            double tolerance = smoothing == schedule[^1] ? _options.Tolerance : Math.Max(_options.Tolerance, 1e-5);
            objective.Loss = LinearLosses.Create(_options.Loss, _options.Margin, smoothing);
            var optimizer = new OwlQn
            {
                Tolerance = tolerance,
                MaxIterations = _options.MaximumNumberOfIterations,
                Progress = (iteration, value, optimality) =>
                {
                    if (iteration % 10 == 0)
                    {
                        TrainingLog.Info(channel, $"iteration {iteration}: objective {value:G8}, optimality {optimality:G3}{(smoothing > 0 ? $" (hinge smoothing {smoothing:G2})" : string.Empty)}");
                    }
                },
            };
            trace.Append(optimizer.Minimize(objective.Evaluate, theta, regularizer.L1Weight, classes * dimension));
        }

        if (_options.Loss == LinearLoss.Hinge)
        {
            // Report the exact (unsmoothed) hinge objective at the solution, with a subgradient as the optimality measure.
            objective.Loss = new HingeLoss(_options.Margin, 0);
            var gradient = new double[theta.Length];
            double value = objective.Evaluate(theta, gradient) + (regularizer.L1Weight * theta.AsSpan(0, classes * dimension).ToArray().Sum(Math.Abs));
            var pseudo = new double[theta.Length];
            OwlQn.PseudoGradient(theta, gradient, regularizer.L1Weight, classes * dimension, pseudo);
            trace.Add(value, pseudo.Max(Math.Abs));
        }

        TrainingLog.Info(channel, $"Linear classifier: objective {trace.FinalObjective:G8} after {trace.Objective.Count - 1} iterations, {objective.Evaluations} evaluations ({trace.StopReason}).");
        var weights = new float[classes * dimension];
        var biases = new float[classes];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)theta[i];
        }

        for (int c = 0; c < classes; c++)
        {
            biases[c] = (float)theta[weights.Length + c];
        }

        return new LinearModelParameters(weights, biases, dimension, _options.Loss, trace);
    }

    /// <summary>A classifier needs two classes with positive weight: one class, or all weights 0, is an error.</summary>
    internal static void RequireTrainable(ReadOnlySpan<int> classes, float[]? weights, DataViewSchema.Column label, DataViewSchema.Column? weight)
    {
        if (weights is not null && weights.All(w => w == 0f))
        {
            throw new InvalidOperationException($"Every example weight in column '{weight!.Value.Name}' is 0: there is nothing to train on.");
        }

        int first = classes[0];
        foreach (int c in classes)
        {
            if (c != first)
            {
                return;
            }
        }

        throw new InvalidOperationException($"Label column '{label.Name}' holds a single class (key {first + 1}) in the training data; a classifier needs at least two.");
    }

    /// <summary>Options of <see cref="LinearClassifierTrainer"/>.</summary>
    public sealed class Options
    {
        /// <summary>The key-typed label column. Default "Label".</summary>
        public string LabelColumnName { get; set; } = "Label";

        /// <summary>The feature vector column (known size, Single). Default "Features".</summary>
        public string FeatureColumnName { get; set; } = "Features";

        /// <summary>An optional example weight column (Single, ≥ 0); null weighs every row 1.</summary>
        public string? ExampleWeightColumnName { get; set; }

        /// <summary>The data loss. Default <see cref="LinearLoss.Hinge"/>.</summary>
        public LinearLoss Loss { get; set; } = LinearLoss.Hinge;

        /// <summary>
        /// The margin Δ (&gt; 0) of the hinge losses (softmax ignores it). Default 1. With L2 it only rescales the
        /// problem: for the squared hinges the minimiser for Δ is Δ times the one for Δ = 1 (same predictions); for
        /// <see cref="LinearLoss.Hinge"/> it is Δ times the Δ = 1 minimiser with λ Δ in place of λ. Tune λ instead.
        /// </summary>
        public float Margin { get; set; } = 1f;

        /// <summary>The regularizer. Default <see cref="Regularization.L2"/>.</summary>
        public Regularization Regularization { get; set; } = Regularization.L2;

        /// <summary>
        /// λ, the regularization strength (≥ 0). Default 1e-4. The objective is the mean loss over the rows (weighted
        /// mean with example weights) plus λ R(W), with R(W) = Σ W² (L2), Σ |W| (L1) or ρ Σ |W| + (1 − ρ) Σ W²
        /// (elastic net, ρ = <see cref="L1Ratio"/>); biases are not regularized. Named like scikit-learn's
        /// penalty / l1_ratio, with λ in place of its C. ML.NET's <c>LbfgsMaximumEntropy</c> minimises the same
        /// softmax problem as a summed loss plus ½ <c>L2Regularization</c> Σ W², divided by the weight sum, and an
        /// L1 term <c>L1Regularization</c> / n Σ |W| (n rows): without example weights, <c>L2Regularization</c> =
        /// 2 n λ (1 − ρ) and <c>L1Regularization</c> = n λ ρ give the same minimiser (ρ = 0 for L2, 1 for L1).
        /// </summary>
        public double Lambda { get; set; } = 1e-4;

        /// <summary>ρ, the L1 share of the elastic net, in [0, 1] (scikit-learn's l1_ratio). Default 0.5.</summary>
        public double L1Ratio { get; set; } = 0.5;

        /// <summary>The optimizer. Default <see cref="LinearSolver.QuasiNewton"/>.</summary>
        public LinearSolver Solver { get; set; } = LinearSolver.QuasiNewton;

        /// <summary>Quasi-Newton: stop when the relative objective decrease stays below this for 3 iterations. Default 1e-7.</summary>
        public double Tolerance { get; set; } = 1e-7;

        /// <summary>Quasi-Newton: iterations per smoothing stage at most. Default 1000.</summary>
        public int MaximumNumberOfIterations { get; set; } = 1000;

        /// <summary>SGD: the initial learning rate. Default 1e-3.</summary>
        public double LearningRate { get; set; } = 1e-3;

        /// <summary>SGD: the learning rate is multiplied by this after each epoch, in (0, 1]. Default 0.95.</summary>
        public double LearningRateDecay { get; set; } = 0.95;

        /// <summary>SGD: rows per mini-batch. Default 200.</summary>
        public int BatchSize { get; set; } = 200;

        /// <summary>SGD: passes over the data at most. Default 20.</summary>
        public int NumberOfEpochs { get; set; } = 20;

        /// <summary>SGD: momentum in [0, 1). Default 0.9.</summary>
        public double Momentum { get; set; } = 0.9;

        /// <summary>SGD: fraction of rows held out (chosen by a hash of the row id and <see cref="Seed"/>) for early stopping; 0 disables it.</summary>
        public double ValidationFraction { get; set; }

        /// <summary>SGD: stop after this many epochs without a lower validation loss, keeping the best model. Default 3.</summary>
        public int EarlyStoppingPatience { get; set; } = 3;

        /// <summary>Seed of the SGD shuffles and the validation split. Default null: the <c>MLContext</c>'s seed, else 1.</summary>
        public int? Seed { get; set; }

        /// <summary>A copy whose seed is <paramref name="seed"/>.</summary>
        internal Options WithSeed(int seed)
        {
            var copy = (Options)MemberwiseClone();
            copy.Seed = seed;
            return copy;
        }

        /// <summary>Threads for the full-batch gradient; null uses every core. Results do not depend on it.</summary>
        public int? NumberOfThreads { get; set; }

        internal Options Clone() => (Options)MemberwiseClone();

        internal void Validate()
        {
            Check(!string.IsNullOrWhiteSpace(LabelColumnName), nameof(LabelColumnName), LabelColumnName, "must name a column");
            Check(!string.IsNullOrWhiteSpace(FeatureColumnName), nameof(FeatureColumnName), FeatureColumnName, "must name a column");
            Check(Enum.IsDefined(Loss), nameof(Loss), Loss, $"must be one of {string.Join(", ", Enum.GetNames<LinearLoss>())}");
            Check(Enum.IsDefined(Regularization), nameof(Regularization), Regularization, $"must be one of {string.Join(", ", Enum.GetNames<Regularization>())}");
            Check(Enum.IsDefined(Solver), nameof(Solver), Solver, $"must be one of {string.Join(", ", Enum.GetNames<LinearSolver>())}");
            Check(Margin > 0 && float.IsFinite(Margin), nameof(Margin), Margin, "must be a positive number");
            Check(Lambda >= 0 && double.IsFinite(Lambda), nameof(Lambda), Lambda, "must be ≥ 0");
            Check(L1Ratio is >= 0 and <= 1, nameof(L1Ratio), L1Ratio, "must be in [0, 1]");
            Check(Tolerance > 0, nameof(Tolerance), Tolerance, "must be > 0");
            Check(MaximumNumberOfIterations >= 1, nameof(MaximumNumberOfIterations), MaximumNumberOfIterations, "must be ≥ 1");
            Check(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "must be > 0");
            Check(LearningRateDecay is > 0 and <= 1, nameof(LearningRateDecay), LearningRateDecay, "must be in (0, 1]");
            Check(BatchSize >= 1, nameof(BatchSize), BatchSize, "must be ≥ 1");
            Check(NumberOfEpochs >= 1, nameof(NumberOfEpochs), NumberOfEpochs, "must be ≥ 1");
            Check(Momentum is >= 0 and < 1, nameof(Momentum), Momentum, "must be in [0, 1)");
            Check(ValidationFraction is >= 0 and < 1, nameof(ValidationFraction), ValidationFraction, "must be in [0, 1)");
            Check(EarlyStoppingPatience >= 1, nameof(EarlyStoppingPatience), EarlyStoppingPatience, "must be ≥ 1");
            Check(NumberOfThreads is null or >= 1, nameof(NumberOfThreads), NumberOfThreads, "must be ≥ 1, or null for every core");
        }

        private static void Check(bool ok, string option, object? value, string expected)
        {
            if (!ok)
            {
                throw new ArgumentOutOfRangeException(option, value, $"{option} {expected}; got {value}.");
            }
        }
    }
}
