namespace MLNet.KnnLinear;

/// <summary>How the linear classifier minimises its objective.</summary>
public enum LinearSolver
{
    /// <summary>
    /// Full-batch quasi-Newton: L-BFGS, or OWL-QN when the regularizer has an L1 part; for the hinge loss, on the
    /// Huber-smoothed hinge with the smoothing driven to 0 (continuation). Converges to the minimum of the stated
    /// objective; holds the training data in memory.
    /// </summary>
    QuasiNewton = 0,

    /// <summary>
    /// Mini-batch stochastic gradient descent with momentum and a per-epoch learning-rate decay.
    /// Reads batches from the data view's cursor, so data larger than memory can be trained; the L1 part of the
    /// regularizer is applied as a proximal (soft-threshold) step.
    /// </summary>
    MiniBatchSgd = 1,
}
