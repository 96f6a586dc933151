using Microsoft.ML;

namespace MLNet.KnnLinear;

/// <summary>One setting in a hyperparameter sweep: a name for tables, the value plotted on the x axis, and the pipeline.</summary>
/// <param name="Name">How the candidate is shown, e.g. "k = 5, L1".</param>
/// <param name="Parameter">The swept value (e.g. k or λ), the plot's x coordinate.</param>
/// <param name="Estimator">The pipeline to fit on the training folds.</param>
public sealed record SweepCandidate(string Name, double Parameter, IEstimator<ITransformer> Estimator);
