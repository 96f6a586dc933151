using Microsoft.ML;

namespace MLNet.KnnLinear.MlNetInterop;

/// <summary>
/// The <see cref="TrainerInfo"/> our trainers report through <c>ITrainerEstimator.Info</c>, as every built-in trainer
/// does. Its constructor is built here, the one folder that may touch ML.NET's non-public members, should it be one.
/// </summary>
internal static class TrainerInfos
{
    /// <summary>A trainer's characteristics: no calibration, no incremental training.</summary>
    public static TrainerInfo Create(bool normalization, bool caching, bool validation = false)
        => new(normalization: normalization, calibration: false, caching: caching, supportValid: validation, supportIncrementalTrain: false);
}
