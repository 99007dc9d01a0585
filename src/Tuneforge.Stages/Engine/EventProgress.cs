using System.Globalization;
using Tuneforge.Protocol;
using Tuneforge.Targets;

namespace Tuneforge.Stages.Engine;

/// <summary>Renders engine events for a person: training steps as a progress line (step, epoch, loss, learning
/// rate, tokens/s, ETA), other progress as a bar, logs as lines.</summary>
internal sealed class EventProgress(string verb) : IDisposable
{
    IProgress? bar;
    string? barStage;

    public void Show(EngineEvent engineEvent)
    {
        switch (engineEvent)
        {
            case StepEvent step:
                // A live bar in a terminal; in CI logs every logged step, as the trainer emits them.
                if (Progress.IsInteractive) Bar("train", step.TotalSteps).Report(step.Step, StepText(step));
                else Log.Information(StepText(step));
                break;
            case EvalEvent eval:
                Log.Information($"step {eval.Step}: eval_loss {F(eval.EvalLoss)}");
                break;
            case CheckpointEvent checkpoint:
                Log.Debug($"checkpoint at step {checkpoint.Step}: {checkpoint.Path}");
                break;
            case ProgressEvent p:
                Bar(p.Stage, p.Total).Report(p.Current, $"{p.Current}/{p.Total}{(p.Unit is null ? "" : " " + p.Unit)}");
                break;
            case LogEvent { Level: "warning" } log:
                Log.Warning(log.Message);
                break;
            case LogEvent { Level: "debug" } log:
                Log.Debug(log.Message);
                break;
            case LogEvent log:
                Log.Information(log.Message);
                break;
            case ArtifactEvent artifact:
                Log.Debug($"{verb} wrote {artifact.Path} ({artifact.Kind})");
                break;
            case ErrorEvent error:
                Log.Debug($"engine error: {error.Message}");
                break;
        }
    }

    IProgress Bar(string stage, double total)
    {
        if (bar is not null && barStage == stage) return bar;
        bar?.Dispose();
        barStage = stage;
        return bar = Progress.Start(stage, total);
    }

    static string StepText(StepEvent s)
    {
        var parts = new List<string> { $"step {s.Step}/{s.TotalSteps}", $"epoch {s.Epoch:0.00}", $"loss {F(s.Loss)}", $"lr {s.Lr.ToString("0.00e+0", CultureInfo.InvariantCulture)}" };
        if (s.TokensPerS is { } tps) parts.Add($"{tps:0} tok/s");
        if (s.EtaS is { } eta) parts.Add($"ETA {SummaryTable.FormatDuration(TimeSpan.FromSeconds(eta))}");
        return string.Join("  ", parts);
    }

    static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    public void Dispose() => bar?.Dispose();
}
