using Microsoft.ML.Runtime;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.MlNetInterop;

/// <summary>
/// ML.NET's cancellation for our loops: <c>MLContext</c> cancellation (what Microsoft.ML.Experimental's
/// <c>CancelExecution</c> sets) marks the host environment, and ML.NET's own trainers stop at their next
/// <c>CheckAlive</c>, which throws <see cref="OperationCanceledException"/>. <c>CheckAlive</c> is internal in ML.NET.
/// </summary>
internal static class HostCancellation
{
    /// <summary>A <see cref="Cancellation"/> scope that ends when <paramref name="env"/> is cancelled.</summary>
    public static Cancellation.Scope Enter(IHostEnvironment env) => Cancellation.Enter(() => env.CheckAlive());
}
