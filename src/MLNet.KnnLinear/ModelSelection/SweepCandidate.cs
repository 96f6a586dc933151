using Microsoft.ML;

namespace MLNet.KnnLinear;

/// <summary>
/// One setting in a hyperparameter sweep: a name for tables, the value plotted on the x axis, the pipeline, and
/// (optionally) the settings it stands for as an object of the user's, given back with its result.
/// </summary>
/// <param name="Name">How the candidate is shown, e.g. "k = 5, L1".</param>
/// <param name="Parameter">The swept value (e.g. k or λ), the plot's x coordinate.</param>
/// <param name="Estimator">The pipeline to fit on the training folds.</param>
/// <example>
/// Two choices swept together, each candidate carrying both as a record instead of one number encoding them:
/// <code>
/// record FeatureChoice(string Variant, double Lambda);
/// var candidates = from v in variants from l in lambdas
///                  select new SweepCandidate($"{v.Name}, λ = {l}", l, Pipeline(v, l)) { Settings = new FeatureChoice(v.Name, l) };
/// var best = (FeatureChoice)sweep.Best.Candidate.Settings!;
/// </code>
/// </example>
public sealed record SweepCandidate(string Name, double Parameter, IEstimator<ITransformer> Estimator)
{
    /// <summary>The settings this candidate stands for, as any object (a record of the swept choices); null when the name and <see cref="Parameter"/> say it all.</summary>
    public object? Settings { get; init; }
}
