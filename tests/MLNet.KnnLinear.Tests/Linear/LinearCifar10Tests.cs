using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.KnnLinear.Tests.Support;
using Xunit.Abstractions;

namespace MLNet.KnnLinear.Tests.Linear;

/// <summary>
/// The linear classifier on the shared CIFAR-10 images against scikit-learn: train = all records of data_batch_1..5,
/// test = test_batch, features (x − mean_train) / 255. Softmax + L2 with λ = 1 / (2 C N), C = 1e-2, against
/// LogisticRegression (Fixtures/logreg_cifar10_reference.json, made by Fixtures/make_logreg_reference.py); the
/// one-versus-rest squared hinge against LinearSVC, C = 1e-3 (Fixtures/linearsvc_cifar10_reference.json, made by
/// Fixtures/make_linearsvc_reference.py).
/// </summary>
public sealed class LinearCifar10Tests(ITestOutputHelper output)
{
    private static readonly string[] TrainBatches = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    [SkippableFact]
    public void LinearClassifier_SoftmaxL2OnCifar10_MatchesScikitLearnObjectiveAndAccuracy()
    {
        var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "logreg_cifar10_reference.json"))).RootElement;
        var ml = new MLContext(seed: 1);
        ml.Log += (_, e) =>
        {
            if (e.Source.Contains(nameof(LinearClassifierTrainer)) && e.Message.Contains("evaluations"))
            {
                output.WriteLine(e.Message);
            }
        };
        var (train, test) = CenteredCifar(ml, int.MaxValue, int.MaxValue);
        var trainer = ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options
        {
            Loss = LinearLoss.Softmax,
            Regularization = Regularization.L2,
            Lambda = reference.GetProperty("lambda").GetDouble(),
            Tolerance = 1e-10,
        });

        var model = trainer.Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));

        double objective = model.Model.Trace!.FinalObjective;
        output.WriteLine($"objective {objective:R} (scikit-learn {reference.GetProperty("objective").GetDouble():R}), {model.Model.Trace.Objective.Count - 1} iterations, stop: {model.Model.Trace.StopReason}");
        output.WriteLine($"test accuracy {metrics.MicroAccuracy:P2} (scikit-learn {reference.GetProperty("test_accuracy").GetDouble():P2})");
        var trace = model.Model.Trace;
        int reached = Enumerable.Range(0, trace.Objective.Count).FirstOrDefault(i => trace.Objective[i] <= reference.GetProperty("objective").GetDouble(), -1);
        output.WriteLine(reached < 0 ? "scikit-learn's objective not reached" : $"scikit-learn's objective reached at iteration {reached}, {trace.ElapsedSeconds[reached]:F2} s into training (total {trace.ElapsedSeconds[^1]:F2} s)");
        objective.Should().BeApproximately(reference.GetProperty("objective").GetDouble(), 1e-4 * reference.GetProperty("objective").GetDouble());
        metrics.MicroAccuracy.Should().BeApproximately(reference.GetProperty("test_accuracy").GetDouble(), 0.003);
    }

    [SkippableFact]
    public void LinearClassifier_OneVersusRestSquaredHingeOnCifar10_MatchesLinearSvc()
    {
        // Fixtures/linearsvc_cifar10_reference.json (Fixtures/make_linearsvc_reference.py): LinearSVC, C = 1e-3.
        // LIBLINEAR penalises the bias and we do not, so the two minima bracket each other: ours, without the bias
        // term, is at most scikit-learn's; ours with λ‖b‖² added is at least LIBLINEAR's own minimum.
        var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "linearsvc_cifar10_reference.json"))).RootElement;
        var ml = new MLContext(seed: 1);
        var (train, test) = CenteredCifar(ml, int.MaxValue, int.MaxValue);
        double lambda = reference.GetProperty("lambda").GetDouble();
        var model = ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options
        {
            Loss = LinearLoss.OneVersusRestSquaredHinge,
            Regularization = Regularization.L2,
            Lambda = lambda,
            Tolerance = 1e-9,
        }).Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));

        var trace = model.Model.Trace!;
        double objective = trace.FinalObjective;
        double withBias = objective + (lambda * model.Model.Biases.Sum(b => (double)b * b));
        output.WriteLine($"objective {objective:R} (scikit-learn at its solution {reference.GetProperty("objective").GetDouble():R}); with λ‖b‖² {withBias:R} (LIBLINEAR {reference.GetProperty("objective_liblinear").GetDouble():R})");
        output.WriteLine($"{trace.Objective.Count - 1} iterations, optimality {trace.Optimality[^1]:G3}, {trace.ElapsedSeconds[^1]:F1} s, stop: {trace.StopReason}");
        output.WriteLine($"test accuracy {metrics.MicroAccuracy:P2} (scikit-learn {reference.GetProperty("test_accuracy").GetDouble():P2})");
        objective.Should().BeLessThanOrEqualTo(reference.GetProperty("objective").GetDouble() * (1 + 1e-7));
        withBias.Should().BeGreaterThanOrEqualTo(reference.GetProperty("objective_liblinear").GetDouble() * (1 - 1e-6));
        metrics.MicroAccuracy.Should().BeApproximately(reference.GetProperty("test_accuracy").GetDouble(), 0.005);
    }

    [SkippableFact]
    public void LinearClassifier_OneVersusRestSquaredHingeOnCifar10_LambdaChosenOnValidation_ReachesLinearSvcAccuracy()
    {
        // λ chosen on a validation split of the training rows (never on test), then refitted on all of them. The
        // grid spans LinearSVC's C ≈ 2.5e-4 … 2.5e-3 in λ = 1 / (2 C N) terms (N = 6,454 training rows of the split),
        // half a decade apart; the example's wider sweep (1e-3 … 1) picks the same λ.
        var ml = new MLContext(seed: 1);
        var (train, test) = CenteredCifar(ml, int.MaxValue, int.MaxValue);
        LinearClassifierTrainer Trainer(double lambda) => ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options
        {
            Loss = LinearLoss.OneVersusRestSquaredHinge,
            Regularization = Regularization.L2,
            Lambda = lambda,
        });
        var sweep = ml.MulticlassClassification.SweepByValidationSplit(
            train, new[] { 0.03, 0.1, 0.3 }.Select(lambda => new SweepCandidate($"λ = {lambda:G3}", lambda, Trainer(lambda))), validationFraction: 0.2, seed: 1);
        output.WriteLine(sweep.ToTable());
        double chosen = sweep.Best.Candidate.Parameter;

        var metrics = ml.MulticlassClassification.Evaluate(Trainer(chosen).Fit(train).Transform(test));

        output.WriteLine($"λ = {chosen:G3} (validation): test accuracy {metrics.MicroAccuracy:P2}");
        metrics.MicroAccuracy.Should().BeGreaterThanOrEqualTo(0.3825, "scikit-learn's best linear SVM (LinearSVC, C chosen on the same validation split) reaches 38.25%");
    }

    [SkippableFact]
    public void LinearClassifier_HingeOnCifar10_ObjectivePlateausAndIsNearlyStationary()
    {
        var ml = new MLContext(seed: 1);
        var (train, _) = CenteredCifar(ml, 1000, 1);
        var model = ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options
        {
            Loss = LinearLoss.Hinge,
            Regularization = Regularization.L2,
            Lambda = 1e-2,
        }).Fit(train);

        var trace = model.Model.Trace!;
        for (int i = 0; i < trace.Objective.Count; i += Math.Max(1, trace.Objective.Count / 25))
        {
            output.WriteLine($"{i}\t{trace.Objective[i]:G8}\t{trace.Optimality[i]:G3}");
        }

        output.WriteLine($"final\t{trace.FinalObjective:G8}\t{trace.Optimality[^1]:G3}\t{trace.StopReason}");
        var tail = trace.Objective.Skip(trace.Objective.Count * 3 / 4).ToArray();
        (tail.Max() - tail.Min()).Should().BeLessThan(1e-3 * trace.FinalObjective, "the last quarter of the run is a plateau");
        trace.FinalObjective.Should().BeLessThan(trace.Objective[0] / 2);
    }

    [SkippableFact]
    public void LinearClassifier_HingeOnCifar10_DualityGapCertifiesTheMinimum()
    {
        // Subgradients of the hinge do not vanish at its minimum, so the trace's optimality cannot certify it; a duality
        // gap can. λ = 0.3, the λ the validation split prefers among 0.003 … 10 (see the README).
        const double lambda = 0.3;
        var (x, y, _, _) = CenteredArrays(int.MaxValue, 1);
        var ml = new MLContext(seed: 1);
        var model = ml.MulticlassClassification.Trainers.LinearClassifier(new LinearClassifierTrainer.Options
        {
            Loss = LinearLoss.Hinge,
            Regularization = Regularization.L2,
            Lambda = lambda,
        }).Fit(ToDataView(ml, x, y)).Model;

        var (primal, dual) = WestonWatkinsDuality(x, y, model, lambda, smoothing: 1e-4);

        output.WriteLine($"primal {primal:R} (trace {model.Trace!.FinalObjective:R}), dual {dual:R}, gap {primal - dual:G3} ({(primal - dual) / primal:G2} relative)");
        primal.Should().BeApproximately(model.Trace.FinalObjective, 1e-5 * primal);
        (primal - dual).Should().BeInRange(0, 1e-3 * primal, "the trainer's hinge solution is within 0.1% of the minimum");
    }

    /// <summary>
    /// P(W, b) and a lower bound D(α) ≤ min P for the Weston–Watkins hinge + λ‖W‖² with unpenalised biases. Dual:
    /// α_ij ∈ [0, 1/N] for j ≠ yᵢ, with Σᵢ Σ_j α_ij (e_j − e_{yᵢ}) = 0 (the biases'); D(α) = Σ α − λ ‖W(α)‖² with
    /// w_c(α) = (1/2λ) Σᵢ xᵢ (Σ_j α_ij [c = yᵢ] − α_ic). α is read off the model, α_ij = h′_μ(s_j − s_y + 1) / N with the
    /// Huber-smoothed hinge's slope (the stationarity condition of the smoothed problem), then made to satisfy the bias
    /// constraint by moving flow between classes: it is then feasible and D(α) a certificate.
    /// </summary>
    private static (double Primal, double Dual) WestonWatkinsDuality(float[] x, int[] y, LinearModelParameters model, double lambda, double smoothing)
    {
        int n = y.Length;
        int classes = model.ClassCount;
        int d = model.FeatureCount;
        double cap = 1.0 / n;
        var alpha = new double[n * classes];
        var scores = new float[classes];
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            model.GetScores(x.AsSpan(i * d, d), scores);
            for (int j = 0; j < classes; j++)
            {
                double z = j == y[i] ? 0 : (double)scores[j] - scores[y[i]] + 1;
                loss += Math.Max(0, z);
                alpha[(i * classes) + j] = z <= 0 ? 0 : cap * Math.Min(1, z / smoothing);
            }
        }

        double primal = (loss / n) + (lambda * model.Weights.Sum(w => (double)w * w));

        // Net inflow per class (0 when the bias constraint holds); route each excess to a deficit, adding flow on the
        // edges y = u → j = v that have room, or removing it from v → u.
        double[] Inflow()
        {
            var inflow = new double[classes];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < classes; j++)
                {
                    inflow[j] += alpha[(i * classes) + j];
                    inflow[y[i]] -= alpha[(i * classes) + j];
                }
            }

            return inflow;
        }

        for (int round = 0; round < 100; round++)
        {
            var inflow = Inflow();
            int u = Array.IndexOf(inflow, inflow.Max());
            int v = Array.IndexOf(inflow, inflow.Min());
            double need = Math.Min(inflow[u], -inflow[v]);
            if (need < 1e-15)
            {
                break;
            }

            int[] fromU = [.. Enumerable.Range(0, n).Where(i => y[i] == u)];
            double room = fromU.Sum(i => cap - alpha[(i * classes) + v]);
            double add = Math.Min(need, room);
            foreach (int i in fromU)
            {
                alpha[(i * classes) + v] += add * (cap - alpha[(i * classes) + v]) / room;
            }

            int[] fromV = [.. Enumerable.Range(0, n).Where(i => y[i] == v)];
            double have = fromV.Sum(i => alpha[(i * classes) + u]);
            double remove = Math.Min(need - add, have);
            foreach (int i in fromV.Where(_ => remove > 0))
            {
                alpha[(i * classes) + u] -= remove * alpha[(i * classes) + u] / have;
            }
        }

        Inflow().Max(Math.Abs).Should().BeLessThan(1e-12, "α must satisfy the bias constraint for D(α) to bound the minimum");
        alpha.Should().OnlyContain(a => a >= 0 && a <= cap);
        var w2 = new double[classes * d];
        for (int i = 0; i < n; i++)
        {
            double own = 0;
            for (int j = 0; j < classes; j++)
            {
                own += alpha[(i * classes) + j];
            }

            for (int c = 0; c < classes; c++)
            {
                double coefficient = (c == y[i] ? own : 0) - alpha[(i * classes) + c];
                for (int k = 0; coefficient != 0 && k < d; k++)
                {
                    w2[(c * d) + k] += coefficient * x[(i * d) + k];
                }
            }
        }

        double norm = w2.Sum(w => w * w) / (4 * lambda * lambda);
        return (primal, alpha.Sum() - (lambda * norm));
    }

    private static (IDataView Train, IDataView Test) CenteredCifar(MLContext ml, int trainCount, int testCount)
    {
        var (train, trainLabels, test, testLabels) = CenteredArrays(trainCount, testCount);
        return (ToDataView(ml, train, trainLabels), ToDataView(ml, test, testLabels));
    }

    /// <summary>Features (x − mean_train) / 255, rows × 3,072, and labels of the first rows of the train and test batches.</summary>
    private static (float[] Train, int[] TrainLabels, float[] Test, int[] TestLabels) CenteredArrays(int trainCount, int testCount)
    {
        var (trainPixels, trainLabels) = Cifar10Data.Read(trainCount, TrainBatches);
        var (testPixels, testLabels) = Cifar10Data.Read(testCount, "test_batch.bin");
        var mean = new double[3072];
        for (int i = 0; i < trainLabels.Length; i++)
        {
            for (int k = 0; k < 3072; k++)
            {
                mean[k] += trainPixels[(i * 3072) + k];
            }
        }

        for (int k = 0; k < 3072; k++)
        {
            mean[k] /= trainLabels.Length;
        }

        float[] Center(float[] pixels) => [.. pixels.Select((p, i) => (float)((p - mean[i % 3072]) / 255.0))];
        return (Center(trainPixels), trainLabels, Center(testPixels), testLabels);
    }

    private static IDataView ToDataView(MLContext ml, float[] features, int[] labels)
    {
        var rows = labels.Select((label, i) => new Row
        {
            Label = label,
            Features = features.AsSpan(i * 3072, 3072).ToArray(),
        });
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3072);
        var data = ml.Data.LoadFromEnumerable(rows.ToList(), schema);
        var classes = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(c => new LabelOnly { Label = c }));
        return ml.Transforms.Conversion.MapValueToKey("Label", keyData: classes).Fit(data).Transform(data);
    }

    private sealed class Row
    {
        public int Label { get; set; }

        public float[] Features { get; set; } = [];
    }

    private sealed class LabelOnly
    {
        public int Label { get; set; }
    }
}
