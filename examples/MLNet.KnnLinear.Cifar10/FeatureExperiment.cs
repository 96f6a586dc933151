using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear;

namespace MLNet.KnnLinear.Cifar10;

/// <summary>
/// The lecture's hand-made features: HoG + a 10-bin hue histogram (CS231n's features assignment), standardised, then
/// classifiers. The HoG variant and λ are chosen together on a seeded validation split of the training images (a
/// fifth), the winner refitted on all of them; ML.NET's trainers get the chosen features.
/// </summary>
internal static class FeatureExperiment
{
    /// <summary>The HoG variants compared on the validation split.</summary>
    public static IReadOnlyList<(string Name, HogFeaturesEstimator.Options Options)> Variants { get; } =
    [
        ("HoG 8 px hard (scikit-image)", Hog(cell: 8, HogVoting.Hard, sqrt: false)),
        ("HoG 8 px trilinear sqrt (Dalal-Triggs)", Hog(cell: 8, HogVoting.Trilinear, sqrt: true)),
    ];

    public static IEnumerable<(string Method, MulticlassClassificationMetrics Metrics, TimeSpan Fit, TimeSpan Predict, ITransformer Model)> Run(
        MLContext ml, IDataView trainImages, IDataView testImages, double[] lambdas, bool ours, bool builtIns, Action<string> log)
    {
        var watch = Stopwatch.StartNew();
        var candidates = new List<SweepCandidate>();
        for (int v = 0; v < Variants.Count; v++)
        {
            foreach (double lambda in lambdas)
            {
                // Each candidate carries its two choices as an object (Settings); λ is the plotted parameter.
                candidates.Add(new SweepCandidate($"{Variants[v].Name}, softmax λ = {lambda:G3}", lambda, Featurizer(ml, v).Append(Softmax(ml, lambda))) { Settings = new FeatureChoice(v, lambda) });
            }
        }

        var sweep = ml.MulticlassClassification.SweepByValidationSplit(ml.Data.Cache(trainImages), candidates, validationFraction: 0.2, seed: null, progress: SyncProgress<SweepProgress>.Lines(log));
        log(sweep.ToTable());
        var (variant, bestLambda) = (FeatureChoice)sweep.Best.Candidate.Settings!;
        string features = Variants[variant].Name + " + hue histogram";
        log($"Chosen on the validation split: {features}, λ = {bestLambda:G3} ({candidates.Count} candidates, {watch.Elapsed.TotalSeconds:F0} s).");

        // Featurize once; every trainer below sees the same standardised vectors.
        watch.Restart();
        // Reading the Features column is what fills the caches (a cache fills a column when it is first read): the
        // time below is the featurizer's, and the classifiers below all read the cached vectors.
        var (featurizer, train, test, rows) = Spectre.Console.AnsiConsole.Status().Start($"{features}: featurizing the images", _ =>
        {
            var fitted = Featurizer(ml, variant).Fit(trainImages);
            var cachedTrain = ml.Data.Cache(fitted.Transform(trainImages));
            var cachedTest = ml.Data.Cache(fitted.Transform(testImages));
            int count = cachedTrain.GetColumn<VBuffer<float>>("Features").Count() + cachedTest.GetColumn<VBuffer<float>>("Features").Count();
            return (fitted, cachedTrain, cachedTest, count);
        });
        log($"Features of {rows:N0} images in {watch.Elapsed.TotalSeconds:F2} s ({watch.Elapsed.TotalMilliseconds * 1000 / rows:F0} µs per image, {Environment.ProcessorCount} cores).");

        // Each row's model is the whole pipeline (pixels → features → classifier), so it can be saved and exported as one.
        (string, MulticlassClassificationMetrics, TimeSpan, TimeSpan, ITransformer) Whole((string, MulticlassClassificationMetrics, TimeSpan, TimeSpan, ITransformer) row)
            => row with { Item5 = featurizer.Append(row.Item5) };

        if (ours)
        {
            // The whole pipeline (pixels → features → classifier) as the model of this row, so it can be exported as one.
            yield return Whole(Measurement.Measure(ml, $"linear Softmax, λ = {bestLambda:G3} (validation), {features}", Softmax(ml, bestLambda), train, test));
            var hinge = ml.MulticlassClassification.SweepByValidationSplit(train, lambdas.Select(l => new SweepCandidate($"hinge λ = {l:G3}", l, Trainer(ml, LinearLoss.Hinge, l))), 0.2, null, progress: SyncProgress<SweepProgress>.Lines(log));
            yield return Whole(Measurement.Measure(ml, $"linear Hinge, λ = {hinge.Best.Candidate.Parameter:G3} (validation), {features}", Trainer(ml, LinearLoss.Hinge, hinge.Best.Candidate.Parameter), train, test));
            var knn = ml.MulticlassClassification.SweepByValidationSplit(train, new[] { 1, 5, 10, 20 }.Select(k => new SweepCandidate($"k = {k}", k, ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: k))), 0.2, null, progress: SyncProgress<SweepProgress>.Lines(log));
            yield return Whole(Measurement.Measure(ml, $"kNN L2, k = {knn.Best.Candidate.Parameter} (validation), {features}", ml.MulticlassClassification.Trainers.Knn(numberOfNeighbors: (int)knn.Best.Candidate.Parameter), train, test));
        }

        if (!builtIns)
        {
            yield break;
        }

        // ML.NET's L2 weight multiplies the summed (not averaged) loss; choose it on the same split.
        var lbfgs = ml.MulticlassClassification.SweepByValidationSplit(train, new[] { 1.0, 10, 100 }.Select(l2 => new SweepCandidate($"LbfgsMaximumEntropy L2 = {l2}", l2, ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(l2Regularization: (float)l2))), 0.2, null, progress: SyncProgress<SweepProgress>.Lines(log));
        float bestL2 = (float)lbfgs.Best.Candidate.Parameter;
        yield return Whole(Measurement.Measure(ml, $"ML.NET LbfgsMaximumEntropy, L2 = {bestL2} (validation), {features}", ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(l2Regularization: bestL2), train, test));
        yield return Whole(Measurement.Measure(ml, $"ML.NET SdcaMaximumEntropy, {features}", ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(), train, test));
        yield return Whole(Measurement.Measure(ml, $"ML.NET LightGbm (30 iterations), {features}", ml.MulticlassClassification.Trainers.LightGbm(numberOfIterations: 30), train, test));
        yield return Whole(Measurement.Measure(ml, $"ML.NET FastTree one-vs-all (20 trees), {features}", ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastTree(numberOfTrees: 20)), train, test));
    }

    /// <summary>HoG of the chosen variant + 10-bin hue histogram → Features, standardised (mean 0, variance 1 per slot).</summary>
    private static IEstimator<ITransformer> Featurizer(MLContext ml, int variant)
    {
        var pipeline = ml.Transforms.ExtractHogFeatures(Variants[variant].Options)
            .Append(ml.Transforms.ExtractColorHistogram("Hue", "Pixels"));
        return pipeline
            .Append(ml.Transforms.Concatenate("Features", "Hog", "Hue"))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"));
    }

    private static HogFeaturesEstimator.Options Hog(int cell, HogVoting voting, bool sqrt) => new()
    {
        OutputColumnName = "Hog",
        InputColumnName = "Pixels",
        CellHeight = cell,
        CellWidth = cell,
        Voting = voting,
        SqrtCompression = sqrt,
    };

    private static LinearClassifierTrainer Softmax(MLContext ml, double lambda) => Trainer(ml, LinearLoss.Softmax, lambda);

    private static LinearClassifierTrainer Trainer(MLContext ml, LinearLoss loss, double lambda)
        => ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options { Loss = loss, Regularization = Regularization.L2, Lambda = lambda });
}

/// <summary>What a feature-sweep candidate chose: the HoG variant (an index into <see cref="FeatureExperiment.Variants"/>) and λ.</summary>
internal sealed record FeatureChoice(int Variant, double Lambda);
