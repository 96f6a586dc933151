using Microsoft.ML;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.ModelSelection;

/// <summary>
/// Fits every candidate on the training part of each fold and measures the sweep's metric on its validation part.
/// Folds come from a seeded permutation of the row positions (row i is in fold perm[i] mod k), so every row is
/// validation exactly once, and the same seed gives the same folds whatever the candidates.
/// </summary>
internal static class HyperparameterSweep
{
    public static SweepResult Run(MulticlassClassificationCatalog catalog, IDataView data, IReadOnlyList<SweepCandidate> candidates, int[] foldOfRow, int folds, string label, IProgress<SweepProgress>? progress, SweepMetric metric)
    {
        using var cancellation = MlNetInterop.HostCancellation.Enter(MlNetInterop.CatalogEnvironment.Of(catalog));
        var results = new List<CandidateResult>();
        int completed = 0;
        foreach (var candidate in candidates)
        {
            var values = new double[folds];
            for (int fold = 0; fold < folds; fold++)
            {
                Cancellation.ThrowIfRequested();
                var train = new RowSubsetDataView(data, foldOfRow.Select(f => f != fold).ToArray());
                var validation = new RowSubsetDataView(data, foldOfRow.Select(f => f == fold).ToArray());
                var model = candidate.Estimator.Fit(train);
                var metrics = catalog.Evaluate(model.Transform(validation), labelColumnName: label, topKPredictionCount: metric.TopK ?? 0);
                values[fold] = metric.Read(metrics);
                progress?.Report(new SweepProgress(candidate, fold + 1, folds, metric, values[fold], ++completed, candidates.Count * folds));
            }

            results.Add(new CandidateResult(candidate, values));
        }

        return new SweepResult(results, folds, metric);
    }

    /// <summary>Fold of each of <paramref name="rows"/> rows for k-fold cross-validation.</summary>
    public static int[] KFold(long rows, int folds, int seed)
    {
        var permutation = Permutation(rows, seed);
        return permutation.Select(p => p % folds).ToArray();
    }

    /// <summary>A single split: the rows whose permuted position falls in the first <paramref name="validationFraction"/> are fold 0 (validation); the rest are −1 (always training).</summary>
    public static int[] Holdout(long rows, double validationFraction, int seed)
    {
        var permutation = Permutation(rows, seed);
        long validation = HeldOutRows(rows, validationFraction);
        return permutation.Select(p => p < validation ? 0 : -1).ToArray();
    }

    /// <summary>How many of <paramref name="rows"/> rows a validation fraction holds out (rounded to the nearest row).</summary>
    public static long HeldOutRows(long rows, double validationFraction) => (long)Math.Round(rows * validationFraction);

    public static long CountRows(IDataView data)
    {
        if (data.GetRowCount() is long known)
        {
            return known;
        }

        long count = 0;
        using var cursor = data.GetRowCursor([]);
        while (cursor.MoveNext())
        {
            count++;
        }

        return count;
    }

    private static int[] Permutation(long rows, int seed)
    {
        var permutation = Enumerable.Range(0, checked((int)rows)).ToArray();
        new Random(seed).Shuffle(permutation);
        return permutation;
    }
}
