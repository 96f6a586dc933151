using Microsoft.ML;
using MLNet.KnnLinear.MlNetInterop;

namespace MLNet.KnnLinear;

/// <summary>Every entry point of MLNet.KnnLinear, as extension methods on ML.NET's catalogs.</summary>
public static partial class KnnLinearCatalog
{
    /// <summary>
    /// A k-nearest-neighbours trainer: predicts the majority class of the <paramref name="numberOfNeighbors"/>
    /// training rows nearest to each row (see <see cref="KnnTrainer"/>).
    /// </summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">The key-typed label column.</param>
    /// <param name="featureColumnName">The feature vector column.</param>
    /// <param name="numberOfNeighbors">k, the number of neighbours that vote.</param>
    /// <param name="distance">The distance neighbours are found by.</param>
    public static KnnTrainer Knn(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label",
        string featureColumnName = "Features",
        int numberOfNeighbors = 5,
        KnnDistance distance = KnnDistance.L2)
        => catalog.Knn(new KnnTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            NumberOfNeighbors = numberOfNeighbors,
            Distance = distance,
        });

    /// <summary>A k-nearest-neighbours trainer with every option (see <see cref="KnnTrainer.Options"/>).</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="options">The trainer's options; validated here.</param>
    public static KnnTrainer Knn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, KnnTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new KnnTrainer(CatalogEnvironment.Of(catalog), options);
    }

    /// <summary>
    /// A multiclass linear classifier s = W x + b with a multiclass SVM hinge, softmax or squared-hinge loss and L2, L1
    /// or elastic-net regularization (see <see cref="LinearClassifierTrainer"/>).
    /// </summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">The key-typed label column.</param>
    /// <param name="featureColumnName">The feature vector column.</param>
    /// <param name="loss">Hinge (Weston–Watkins multiclass SVM), softmax cross-entropy, or a squared hinge (<see cref="LinearLoss"/>).</param>
    /// <param name="regularization">The regularizer R(W).</param>
    /// <param name="lambda">λ, the regularization strength.</param>
    public static LinearClassifierTrainer LinearClassifier(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label",
        string featureColumnName = "Features",
        LinearLoss loss = LinearLoss.Hinge,
        Regularization regularization = Regularization.L2,
        double lambda = 1e-4)
        => catalog.LinearClassifier(new LinearClassifierTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            Loss = loss,
            Regularization = regularization,
            Lambda = lambda,
        });

    /// <summary>A multiclass linear classifier with every option (see <see cref="LinearClassifierTrainer.Options"/>).</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="options">The trainer's options; validated here.</param>
    public static LinearClassifierTrainer LinearClassifier(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, LinearClassifierTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new LinearClassifierTrainer(CatalogEnvironment.Of(catalog), options);
    }

    /// <summary>
    /// Reads the CIFAR-10 binary version (Krizhevsky 2009) lazily: <paramref name="path"/> is one batch file, the
    /// <c>cifar-10-batches-bin</c> folder (train = data_batch_1..5 in order, test = test_batch, by
    /// <paramref name="split"/>), or the official <c>cifar-10-binary.tar.gz</c> (streamed, never extracted).
    /// Columns: <c>Label</c>, a key whose <c>KeyValues</c> are the class names (from batches.meta.txt when present),
    /// <c>Pixels</c>, a vector of 3,072 bytes, planar R, G, B (as <c>ExtractPixels</c> lays them out), and, unless
    /// <paramref name="includeImages"/> is false, <c>Image</c>, the same record as a 32 × 32 MLImage.
    /// A batch may hold fewer than 10,000 records (the count comes from the file size), but a folder or archive must
    /// hold every batch of the split; to read part of a split, pass the batch files one at a time. An archive is read
    /// through once when loaded, so that its gzip CRC-32 and lengths and its tar header checksums are checked before
    /// any record is returned (about one second for the official 163 MB archive).
    /// </summary>
    /// <param name="catalog">The data operations catalog.</param>
    /// <param name="path">A batch file, the batches folder, or the .tar.gz archive.</param>
    /// <param name="split">For a folder or archive: the training or the test batches.</param>
    /// <param name="includeImages">
    /// Whether to add the <c>Image</c> column (each record as a 32 × 32 MLImage, for ML.NET's image transforms).
    /// Pass false for data that <c>ConvertToOnnx</c> takes: ONNX has no image type, so ML.NET's exporter refuses
    /// any input data with an image column, even when no step reads it.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="split"/> is not Train or Test.</exception>
    /// <exception cref="FileNotFoundException">Nothing at <paramref name="path"/>, or a folder or archive lacking batches of the split (named in the message).</exception>
    /// <exception cref="InvalidDataException">An empty batch, a file whose size is not a whole number of 3,073-byte records or an archive that fails its integrity checks (at load), or a label byte above 9 (when read), naming the file and offset.</exception>
    public static IDataView LoadFromCifar10(this DataOperationsCatalog catalog, string path, Cifar10Split split = Cifar10Split.Train, bool includeImages = true)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new Data.Cifar10DataView(Data.Cifar10Source.Open(path, split), includeImages);
    }

    /// <summary>
    /// k-fold cross-validation of candidate pipelines (hyperparameter search): every candidate is fitted
    /// on k − 1 folds and scored (by <paramref name="metric"/>, micro-accuracy by default) on the remaining one, for each fold. Folds come from a permutation
    /// of the rows seeded by <paramref name="seed"/>: every row is validation exactly once.
    /// </summary>
    /// <param name="catalog">The multiclass catalog (its Evaluate scores each fold).</param>
    /// <param name="data">The training data (the test set must stay out of it).</param>
    /// <param name="candidates">The settings to compare, e.g. one per k.</param>
    /// <param name="numberOfFolds">k, at least 2.</param>
    /// <param name="seed">Seed of the fold assignment; null (default) takes the <c>MLContext</c>'s seed, else 1.</param>
    /// <param name="labelColumnName">The key-typed label column the evaluator reads.</param>
    /// <param name="progress">Told after each fit and evaluation (candidate, fold, the metric's value, fits done of the total), e.g. to drive a progress bar.</param>
    /// <param name="metric">What to score by and which way is better: <see cref="SweepMetric.MicroAccuracy"/> (null, the default), <see cref="SweepMetric.MacroAccuracy"/>, <see cref="SweepMetric.LogLoss"/> (minimised) or <see cref="SweepMetric.TopKAccuracy"/>.</param>
    public static SweepResult SweepByCrossValidation(this MulticlassClassificationCatalog catalog, IDataView data, IEnumerable<SweepCandidate> candidates, int numberOfFolds = 5, int? seed = null, string labelColumnName = "Label", IProgress<SweepProgress>? progress = null, SweepMetric? metric = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        var list = CheckCandidates(candidates);
        ArgumentOutOfRangeException.ThrowIfLessThan(numberOfFolds, 2);
        long rows = ModelSelection.HyperparameterSweep.CountRows(data);
        if (rows < numberOfFolds)
        {
            throw new ArgumentOutOfRangeException(nameof(numberOfFolds), numberOfFolds, $"numberOfFolds ({numberOfFolds}) must not exceed the number of rows ({rows}).");
        }

        return ModelSelection.HyperparameterSweep.Run(catalog, data, list, ModelSelection.HyperparameterSweep.KFold(rows, numberOfFolds, HostSeed.Resolve(seed, CatalogEnvironment.Of(catalog))), numberOfFolds, labelColumnName, progress, metric ?? SweepMetric.MicroAccuracy);
    }

    /// <summary>
    /// A single train/validation split of <paramref name="data"/>: every candidate is fitted on the training part and
    /// scored on the held-out <paramref name="validationFraction"/> (chosen by a seeded permutation).
    /// </summary>
    /// <param name="catalog">The multiclass catalog.</param>
    /// <param name="data">The training data.</param>
    /// <param name="candidates">The settings to compare.</param>
    /// <param name="validationFraction">The share held out, in (0, 1); it must hold out at least one row and keep at least one.</param>
    /// <param name="seed">Seed of the split; null (default) takes the <c>MLContext</c>'s seed, else 1.</param>
    /// <param name="labelColumnName">The key-typed label column.</param>
    /// <param name="progress">Told after each fit and evaluation (candidate, fold 1 of 1, the metric's value).</param>
    /// <param name="metric">What to score by and which way is better: <see cref="SweepMetric.MicroAccuracy"/> (null, the default), <see cref="SweepMetric.MacroAccuracy"/>, <see cref="SweepMetric.LogLoss"/> (minimised) or <see cref="SweepMetric.TopKAccuracy"/>.</param>
    public static SweepResult SweepByValidationSplit(this MulticlassClassificationCatalog catalog, IDataView data, IEnumerable<SweepCandidate> candidates, double validationFraction = 0.2, int? seed = null, string labelColumnName = "Label", IProgress<SweepProgress>? progress = null, SweepMetric? metric = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        var list = CheckCandidates(candidates);
        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "validationFraction must be in (0, 1).");
        }

        long rows = ModelSelection.HyperparameterSweep.CountRows(data);
        long heldOut = ModelSelection.HyperparameterSweep.HeldOutRows(rows, validationFraction);
        if (heldOut < 1 || heldOut >= rows)
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, $"validationFraction ({validationFraction}) of the {rows} rows holds out {heldOut} rows; at least one row must be held out and at least one kept for training.");
        }

        return ModelSelection.HyperparameterSweep.Run(catalog, data, list, ModelSelection.HyperparameterSweep.Holdout(rows, validationFraction, HostSeed.Resolve(seed, CatalogEnvironment.Of(catalog))), 1, labelColumnName, progress, metric ?? SweepMetric.MicroAccuracy);
    }

    private static IReadOnlyList<SweepCandidate> CheckCandidates(IEnumerable<SweepCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var list = candidates.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(candidates), "At least one candidate is needed.");
        }

        int missing = list.FindIndex(c => c is null || c.Estimator is null);
        if (missing >= 0)
        {
            throw new ArgumentNullException(nameof(candidates), $"Candidate {missing} is null or has a null Estimator; every candidate needs an estimator to fit.");
        }

        return list;
    }

    /// <summary>
    /// Similarity search as a pipeline step: Fit indexes the feature vectors; Transform appends each row's
    /// <paramref name="numberOfNeighbors"/> nearest reference rows (row numbers, then distances in
    /// "<paramref name="outputColumnName"/>Distances").
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The row-number column appended (vector of Int32).</param>
    /// <param name="inputColumnName">The feature vector column (Single or Byte).</param>
    /// <param name="numberOfNeighbors">k.</param>
    /// <param name="distance">The distance.</param>
    /// <param name="index">The index kind; null is exact.</param>
    public static NearestNeighborsEstimator FindNearestNeighbors(this TransformsCatalog catalog, string outputColumnName = "Neighbors", string inputColumnName = "Features", int numberOfNeighbors = 10, KnnDistance distance = KnnDistance.L2, NeighborIndexOptions? index = null)
        => catalog.FindNearestNeighbors(new NearestNeighborsEstimator.Options
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            NumberOfNeighbors = numberOfNeighbors,
            Distance = distance,
            Index = index ?? new ExactIndexOptions(),
        });

    /// <summary>Similarity search as a pipeline step, with every option (see <see cref="NearestNeighborsEstimator"/>).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The options.</param>
    public static NearestNeighborsEstimator FindNearestNeighbors(this TransformsCatalog catalog, NearestNeighborsEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new NearestNeighborsEstimator(CatalogEnvironment.Of(catalog), options);
    }
}
