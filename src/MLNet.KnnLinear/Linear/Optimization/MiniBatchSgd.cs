using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNet.KnnLinear.Linear.Losses;
using MLNet.KnnLinear.Linear.Regularizers;
using MLNet.KnnLinear.MlNetInterop;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Linear.Optimization;

/// <summary>
/// Mini-batch SGD with momentum, streaming batches from the data view's cursor (shuffled per epoch when the view
/// can shuffle), so nothing but one batch is held in memory. The L2 part of the regularizer enters the gradient;
/// the L1 part is a proximal soft-threshold after each step. With a validation fraction, rows whose id hashes below
/// it are held out, the validation loss is measured after each epoch, and training stops after
/// <c>EarlyStoppingPatience</c> epochs without improvement, keeping the best weights. A validation set of its own
/// (<see cref="ValidationData"/>) takes the place of the held-out fraction: every training row is trained on.
/// </summary>
internal sealed class MiniBatchSgd(LinearClassifierTrainer.Options options, Regularizer regularizer, IChannel channel)
{
    /// <summary>How far above its starting value the objective may be in any epoch before training is declared diverged.</summary>
    private const double BlowUpFactor = 1000;

    /// <summary>How far above its starting value the objective may end.</summary>
    private const double DivergenceFactor = 10;

    private readonly HashSet<int> _classesSeen = [];

    public LinearModelParameters Train(IDataView input, DataViewSchema.Column label, DataViewSchema.Column features, DataViewSchema.Column? weight, ValidationData? validationData = null)
    {
        int classes = ColumnChecks.RequireKey(label, "Label");
        int d = ColumnChecks.RequireFloatVector(features, "Feature");
        ILinearLoss loss = LinearLosses.Create(options.Loss, options.Margin);
        var w = new float[classes * d];
        var b = new float[classes];
        var vw = new float[w.Length];
        var vb = new float[classes];
        float[]? bestW = null;
        float[]? bestB = null;
        double bestValidation = double.PositiveInfinity;
        int epochsWithoutImprovement = 0;
        var trace = new OptimizationTrace();
        var batch = new Batch(options.BatchSize, d, classes);
        bool validating = validationData is not null || options.ValidationFraction > 0;
        var trainingRows = validationData is null ? RowFilter.Training : RowFilter.All;
        var validation = validationData ?? new ValidationData(input, label, features, weight);
        var validationRows = validationData is null ? RowFilter.HeldOut : RowFilter.All;
        double zeroWeightObjective = ZeroWeightLoss(loss, classes);

        for (int epoch = 0; epoch < options.NumberOfEpochs; epoch++)
        {
            Cancellation.ThrowIfRequested();
            WorkProgress.Report("SGD epoch", epoch, options.NumberOfEpochs);
            double rate = options.LearningRate * Math.Pow(options.LearningRateDecay, epoch);
            double lossSum = 0;
            double weightSum = 0;
            double gradientNorm = 0;
            long rows = 0;
            foreach (var _ in Rows(input, label, features, weight, batch, trainingRows, shuffleSeed: ((options.Seed ?? 1) * 7919) + epoch))
            {
                rows++;
                if (batch.Count == options.BatchSize)
                {
                    (double l, double s, gradientNorm) = Step(batch, loss, w, b, vw, vb, rate);
                    lossSum += l;
                    weightSum += s;
                }
            }

            if (batch.Count > 0)
            {
                (double l, double s, gradientNorm) = Step(batch, loss, w, b, vw, vb, rate);
                lossSum += l;
                weightSum += s;
            }

            if (epoch == 0 && rows > 0 && weightSum == 0)
            {
                throw new InvalidOperationException($"Every example weight in column '{weight!.Value.Name}' is 0: there is nothing to train on.");
            }

            if (epoch == 0 && _classesSeen.Count == 1)
            {
                throw new InvalidOperationException($"Label column '{label.Name}' holds a single class (key {_classesSeen.First() + 1}) in the training data; a classifier needs at least two.");
            }

            if (rows == 0)
            {
                throw new InvalidOperationException($"The training data has no rows with a label (column '{label.Name}'){(validationData is null && validating ? " outside the validation fraction" : string.Empty)}.");
            }

            double objective = (lossSum / Math.Max(weightSum, double.Epsilon)) + regularizer.Value(w);
            trace.Add(objective, gradientNorm);
            CheckNotDiverged(objective, zeroWeightObjective, epoch, rate, last: epoch == options.NumberOfEpochs - 1);
            string message = $"epoch {epoch + 1}: training objective {objective:G6} (learning rate {rate:G3})";
            if (validating)
            {
                double validationLoss = ValidationLoss(validation, validationRows, batch, loss, w, b);
                if (double.IsPositiveInfinity(validationLoss) && epoch == 0)
                {
                    // No labelled, weighted validation row: early stopping would stop on nothing.
                    throw new InvalidOperationException(validationData is null
                        ? $"The validation fraction ({options.ValidationFraction}) held out no labelled row with a positive weight; raise ValidationFraction, or set it to 0 to train without early stopping."
                        : $"The validation set has no labelled row with a positive weight (label column '{validation.Label.Name}'); early stopping needs at least one.");
                }

                message += $", validation loss {validationLoss:G6}";
                if (validationLoss < bestValidation)
                {
                    bestValidation = validationLoss;
                    bestW = (float[])w.Clone();
                    bestB = (float[])b.Clone();
                    epochsWithoutImprovement = 0;
                }
                else if (++epochsWithoutImprovement >= options.EarlyStoppingPatience)
                {
                    CheckNotDiverged(objective, zeroWeightObjective, epoch, rate, last: true);
                    TrainingLog.Info(channel, message);
                    trace.StopReason = $"early stopping: no better validation loss for {options.EarlyStoppingPatience} epochs";
                    break;
                }
            }

            TrainingLog.Info(channel, message);
        }

        WorkProgress.Report("SGD epoch", trace.Objective.Count, trace.Objective.Count);
        trace.StopReason ??= "all epochs done";
        return new LinearModelParameters(bestW ?? w, bestB ?? b, d, options.Loss, trace);
    }

    /// <summary>
    /// The loss of any example at W = 0, b = 0 (every score 0, so the same for every label): where training starts.
    /// </summary>
    private static double ZeroWeightLoss(ILinearLoss loss, int classes)
        => loss.Compute(new float[classes], 0, new float[classes]);

    /// <summary>
    /// SGD whose step is too large does not fail by itself: the weights swing ever wider and the model that comes out
    /// is garbage with finite numbers. So training fails when an epoch's objective (mean loss + regularizer) is not
    /// finite or above <see cref="BlowUpFactor"/> times the loss at zero weights, where training starts, or when the
    /// last epoch ends above <see cref="DivergenceFactor"/> times it (a model far worse than predicting nothing).
    /// </summary>
    private void CheckNotDiverged(double objective, double zeroWeightObjective, int epoch, double rate, bool last)
    {
        double factor = last ? DivergenceFactor : BlowUpFactor;
        if (double.IsFinite(objective) && objective <= factor * zeroWeightObjective)
        {
            return;
        }

        throw new InvalidOperationException(
            $"Mini-batch SGD diverged in epoch {epoch + 1}: the training objective is {objective:G4}, more than {factor} times its value at zero weights ({zeroWeightObjective:G4}), at learning rate {rate:G3}. " +
            $"Lower {nameof(LinearClassifierTrainer.Options.LearningRate)} (now {options.LearningRate:G3}), or scale the features (e.g. NormalizeMeanVariance).");
    }

    /// <summary>Fills <paramref name="batch"/> row by row, yielding after each row it adds (the caller steps when full).</summary>
    private IEnumerable<int> Rows(IDataView input, DataViewSchema.Column label, DataViewSchema.Column features, DataViewSchema.Column? weight, Batch batch, RowFilter filter, int shuffleSeed, bool trackClasses = true)
    {
        var columns = weight is { } wc ? new[] { label, features, wc } : new[] { label, features };
        bool shuffle = input.CanShuffle && filter != RowFilter.HeldOut && trackClasses;
        using var cursor = input.GetRowCursor(columns, shuffle ? new Random(shuffleSeed) : null);
        var labelGetter = cursor.GetGetter<uint>(label);
        var featureGetter = cursor.GetGetter<VBuffer<float>>(features);
        var weightGetter = weight is { } w ? cursor.GetGetter<float>(w) : null;
        var id = cursor.GetIdGetter();
        uint key = 0;
        float exampleWeight = 1f;
        VBuffer<float> vector = default;
        DataViewRowId rowId = default;
        batch.Count = 0;
        while (cursor.MoveNext())
        {
            labelGetter(ref key);
            if (key == 0)
            {
                continue;
            }

            id(ref rowId);
            if (filter != RowFilter.All && IsHeldOut(rowId) != (filter == RowFilter.HeldOut))
            {
                continue;
            }

            if (batch.Count == batch.Capacity)
            {
                batch.Count = 0;
            }

            if (weightGetter is not null)
            {
                weightGetter(ref exampleWeight);
                if (!(exampleWeight >= 0f) || float.IsInfinity(exampleWeight))
                {
                    throw new InvalidOperationException($"Weight column '{weight!.Value.Name}' holds {exampleWeight} at row {cursor.Position}; weights must be finite and non-negative.");
                }
            }

            featureGetter(ref vector);
            FeatureVectors.CopyChecked(vector, batch.Features.AsSpan(batch.Count * batch.Dimension, batch.Dimension), features.Name);
            batch.Labels[batch.Count] = (int)key - 1;
            if (trackClasses)
            {
                _classesSeen.Add((int)key - 1);
            }

            batch.Weights[batch.Count] = exampleWeight;
            batch.Count++;
            yield return batch.Count;
        }
    }

    private bool IsHeldOut(DataViewRowId id)
    {
        if (options.ValidationFraction <= 0)
        {
            return false;
        }

        ulong h = (id.Low ^ (id.High * 0x9E3779B97F4A7C15UL)) + ((ulong)(options.Seed ?? 1) * 0xBF58476D1CE4E5B9UL);
        h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL;
        h = (h ^ (h >> 27)) * 0x94D049BB133111EBUL;
        h ^= h >> 31;
        return (h >> 11) * (1.0 / (1UL << 53)) < options.ValidationFraction;
    }

    private (double Loss, double Weight, double GradientNorm) Step(Batch batch, ILinearLoss loss, float[] w, float[] b, float[] vw, float[] vb, double rate)
    {
        int d = batch.Dimension;
        int classes = b.Length;
        Array.Clear(batch.WeightGradient);
        Array.Clear(batch.BiasGradient);
        double lossSum = 0;
        double weightSum = 0;
        for (int i = 0; i < batch.Count; i++)
        {
            var x = batch.Features.AsSpan(i * d, d);
            for (int c = 0; c < classes; c++)
            {
                batch.Scores[c] = TensorPrimitives.Dot(x, w.AsSpan(c * d, d)) + b[c];
            }

            float ew = batch.Weights[i];
            lossSum += ew * loss.Compute(batch.Scores, batch.Labels[i], batch.ScoreGradient);
            weightSum += ew;
            for (int c = 0; c < classes; c++)
            {
                float g = batch.ScoreGradient[c] * ew;
                if (g != 0f)
                {
                    var gc = batch.WeightGradient.AsSpan(c * d, d);
                    TensorPrimitives.MultiplyAdd(x, g, gc, gc);
                    batch.BiasGradient[c] += g;
                }
            }
        }

        batch.Count = 0;
        if (weightSum == 0)
        {
            return (0, 0, 0);
        }

        float scale = (float)(1.0 / weightSum);
        float momentum = (float)options.Momentum;
        float step = (float)rate;
        float l2 = (float)(2 * regularizer.L2Weight);
        double norm = 0;
        for (int i = 0; i < w.Length; i++)
        {
            float g = (batch.WeightGradient[i] * scale) + (l2 * w[i]);
            norm = Math.Max(norm, Math.Abs(g));
            vw[i] = (momentum * vw[i]) - (step * g);
            w[i] += vw[i];
        }

        for (int c = 0; c < classes; c++)
        {
            float g = batch.BiasGradient[c] * scale;
            vb[c] = (momentum * vb[c]) - (step * g);
            b[c] += vb[c];
        }

        float threshold = (float)(rate * regularizer.L1Weight);
        if (threshold > 0)
        {
            for (int i = 0; i < w.Length; i++)
            {
                w[i] = MathF.Sign(w[i]) * MathF.Max(MathF.Abs(w[i]) - threshold, 0f);
            }
        }

        return (lossSum, weightSum, norm);
    }

    private double ValidationLoss(ValidationData validation, RowFilter filter, Batch batch, ILinearLoss loss, float[] w, float[] b)
    {
        int d = batch.Dimension;
        double sum = 0;
        double weights = 0;
        foreach (int count in Rows(validation.Data, validation.Label, validation.Features, validation.Weight, batch, filter, shuffleSeed: 0, trackClasses: false))
        {
            int i = count - 1;
            var x = batch.Features.AsSpan(i * d, d);
            for (int c = 0; c < b.Length; c++)
            {
                batch.Scores[c] = TensorPrimitives.Dot(x, w.AsSpan(c * d, d)) + b[c];
            }

            sum += batch.Weights[i] * loss.Compute(batch.Scores, batch.Labels[i], batch.ScoreGradient);
            weights += batch.Weights[i];
        }

        return weights > 0 ? sum / weights : double.PositiveInfinity;
    }

    private sealed class Batch(int capacity, int dimension, int classes)
    {
        public int Capacity { get; } = capacity;

        public int Dimension { get; } = dimension;

        public int Count { get; set; }

        public float[] Features { get; } = new float[capacity * dimension];

        public int[] Labels { get; } = new int[capacity];

        public float[] Weights { get; } = new float[capacity];

        public float[] Scores { get; } = new float[classes];

        public float[] ScoreGradient { get; } = new float[classes];

        public float[] WeightGradient { get; } = new float[classes * dimension];

        public float[] BiasGradient { get; } = new float[classes];
    }

    /// <summary>Which rows a pass reads: all, the training rows (not held out), or the held-out validation rows.</summary>
    private enum RowFilter
    {
        All,
        Training,
        HeldOut,
    }
}
