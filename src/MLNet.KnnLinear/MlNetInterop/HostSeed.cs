using Microsoft.ML.Runtime;

namespace MLNet.KnnLinear.MlNetInterop;

/// <summary>
/// The seed an <c>MLContext</c> was made with (<c>new MLContext(seed: n)</c>), which ML.NET's own trainers use when
/// their options leave the seed unset. ML.NET keeps it on an internal interface of the host environment.
/// </summary>
internal static class HostSeed
{
    /// <summary>The context's seed; null when it was made without one.</summary>
    public static int? Of(IHostEnvironment env) => (env as IHostEnvironmentInternal)?.Seed;

    /// <summary>
    /// The seed a component uses: its own option when set, else the context's, else 1 (so that a context without a
    /// seed still gives the same model every time, which ML.NET's trainers do not promise).
    /// </summary>
    public static int Resolve(int? option, IHostEnvironment? env) => option ?? (env is null ? null : Of(env)) ?? 1;
}
