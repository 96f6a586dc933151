using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Spectre.Console;

namespace MLNet.KnnLinear.Cifar10;

/// <summary>Fits one method, evaluates it on the test set, and times both (a row of the results table).</summary>
internal static class Measurement
{
    /// <summary>
    /// Fits and evaluates under a live status line: the time so far and the trainer's latest message in ML.NET's log
    /// (LightGbm's and FastTree's iterations, our trainers' progress), so a fit of minutes shows that it moves.
    /// </summary>
    public static (string, MulticlassClassificationMetrics, TimeSpan, TimeSpan, ITransformer) Measure(MLContext ml, string name, IEstimator<ITransformer> trainer, IDataView train, IDataView test)
    {
        return AnsiConsole.Status().Start($"{Markup.Escape(name)}: fitting", status =>
        {
            var watch = Stopwatch.StartNew();
            string latest = string.Empty;
            void Show() => status.Status($"{Markup.Escape(name)}: fitting, {watch.Elapsed.TotalSeconds:F0} s [grey]{Markup.Escape(latest)}[/]");
            void OnLog(object? sender, LoggingEventArgs e)
            {
                if (e.Kind is ChannelMessageKind.Info or ChannelMessageKind.Warning)
                {
                    latest = e.Message.Length > 90 ? e.Message[..90] + "…" : e.Message;
                }
            }

            var ticker = new Timer(_ => Show(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            ml.Log += OnLog;
            ITransformer model;
            TimeSpan fit;
            try
            {
                model = trainer.Fit(train);
                fit = watch.Elapsed;
            }
            finally
            {
                ml.Log -= OnLog;

                // Stop the ticker and wait for a tick already running, so it cannot write over the next status.
                using var stopped = new ManualResetEvent(false);
                ticker.Dispose(stopped);
                stopped.WaitOne();
            }

            status.Status($"{Markup.Escape(name)}: evaluating");
            watch.Restart();
            var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
            return (name, metrics, fit, watch.Elapsed, model);
        });
    }
}
