using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear;

namespace MLNet.KnnLinear.Cifar10;

/// <summary>
/// The lecture's second experiment: linear classifiers on centred pixels, x ↦ (x − mean_train) / 255 — by default
/// softmax, the Weston–Watkins hinge of the lecture and the one-versus-rest squared hinge of scikit-learn's LinearSVC —
/// each with λ chosen on a seeded validation split of the training data (a fifth), then refitted on all training rows;
/// ML.NET's own maximum-entropy trainers on the same features beside them.
/// </summary>
internal static class LinearExperiment
{
    public static IEnumerable<(string Method, MulticlassClassificationMetrics Metrics, TimeSpan Fit, TimeSpan Predict, ITransformer Model)> Run(
        MLContext ml, float[] trainPixels, int[] trainLabels, float[] testPixels, int[] testLabels, double[] lambdas, LinearLoss[] losses, bool builtIns, Action<string> log)
    {
        var mean = Mean(trainPixels, trainLabels.Length);
        var train = Images.ToDataView(ml, Center(trainPixels, mean), trainLabels);
        var test = Images.ToDataView(ml, Center(testPixels, mean), testLabels);

        foreach (var loss in losses)
        {
            var candidates = lambdas.Select(lambda => new SweepCandidate($"{loss} λ = {lambda:G3}", lambda, Trainer(ml, loss, lambda)));
            var sweep = ml.MulticlassClassification.SweepByValidationSplit(train, candidates, validationFraction: 0.2, seed: null, progress: SyncProgress<SweepProgress>.Lines(log));
            log(sweep.ToTable());
            double bestLambda = sweep.Best.Candidate.Parameter;
            yield return Measurement.Measure(ml, $"linear {loss}, λ = {bestLambda:G3} (validation), centred pixels", Trainer(ml, loss, bestLambda), train, test);
        }

        if (!builtIns)
        {
            yield break;
        }

        yield return Measurement.Measure(ml, "ML.NET LbfgsMaximumEntropy, centred pixels", ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(), train, test);
        yield return Measurement.Measure(ml, "ML.NET SdcaMaximumEntropy, centred pixels", ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(), train, test);

        // Tree ensembles on 3,072 raw features are slow; smaller ensembles keep the default run to minutes.
        yield return Measurement.Measure(ml, "ML.NET LightGbm (50 iterations), centred pixels", ml.MulticlassClassification.Trainers.LightGbm(numberOfIterations: 50), train, test);
        yield return Measurement.Measure(ml, "ML.NET FastTree one-vs-all (20 trees), centred pixels", ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastTree(numberOfTrees: 20)), train, test);
    }

    private static LinearClassifierTrainer Trainer(MLContext ml, LinearLoss loss, double lambda)
        => ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options { Loss = loss, Regularization = Regularization.L2, Lambda = lambda });


    private static double[] Mean(float[] pixels, int rows)
    {
        var mean = new double[CifarFiles.PixelCount];
        for (int i = 0; i < rows; i++)
        {
            for (int k = 0; k < mean.Length; k++)
            {
                mean[k] += pixels[(i * mean.Length) + k];
            }
        }

        for (int k = 0; k < mean.Length; k++)
        {
            mean[k] /= rows;
        }

        return mean;
    }

    private static float[] Center(float[] pixels, double[] mean)
    {
        var result = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            result[i] = (float)((pixels[i] - mean[i % mean.Length]) / 255.0);
        }

        return result;
    }
}
