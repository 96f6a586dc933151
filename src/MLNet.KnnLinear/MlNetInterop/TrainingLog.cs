using Microsoft.ML.Runtime;

namespace MLNet.KnnLinear.MlNetInterop;

/// <summary>
/// Writes trainers' progress messages to ML.NET's log (what <c>MLContext.Log</c> subscribers see). The
/// <c>IChannel.Info</c> extension binds to ML.NET's internal <c>HostExtensions</c>, so it is called from here only.
/// </summary>
internal static class TrainingLog
{
    public static void Info(IChannel channel, string message) => channel.Info(message);
}
