using System.Globalization;
using Microsoft.ML.Runtime;
using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.MlNetInterop;

/// <summary>
/// Progress of a trainer's long loops in ML.NET's log (what <c>MLContext.Log</c> shows, as ML.NET's own trainers
/// report their iterations): an Info message on the trainer's channel when a stage starts, at most once a second
/// while it runs, and when it completes.
/// </summary>
internal static class HostProgress
{
    public static WorkProgress.Scope Enter(IChannel channel)
    {
        string? stage = null;
        var lastMessage = TimeSpan.Zero;
        return WorkProgress.Enter(progress =>
        {
            bool newStage = progress.Stage != stage;
            if (newStage || progress.Completed >= progress.Total || progress.Elapsed - lastMessage >= TimeSpan.FromSeconds(1))
            {
                stage = progress.Stage;
                lastMessage = progress.Elapsed;
                channel.Info(progress.ToString());
            }
        });
    }
}
