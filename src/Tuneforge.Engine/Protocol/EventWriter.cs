using System.Text.Json;

namespace Tuneforge.Engine.Protocol;

/// <summary>Output format of the engine: JSON lines for programs (default), or text for people.</summary>
public enum EventFormat
{
    Json,
    Text,
}

/// <summary>Writes events to stdout (and, as text, errors to stderr), one flushed line each.</summary>
public sealed class EventWriter(TextWriter output, TextWriter errors, EventFormat format)
{
    private readonly object _gate = new();
    private bool _midLine;

    public EventFormat Format => format;

    public void Write(EngineEvent engineEvent)
    {
        lock (_gate)
        {
            if (format == EventFormat.Json) output.WriteLine(EventSerializer.Serialize(engineEvent));
            else WriteText(engineEvent);
            output.Flush();
        }
    }

    public void Log(string message, string level = "info") => Write(new LogEvent(message, level));

    private void WriteText(EngineEvent engineEvent)
    {
        if (engineEvent is TokenEvent token)
        {
            output.Write(token.Text);
            _midLine = true;
            return;
        }
        if (_midLine)
        {
            output.WriteLine();
            _midLine = false;
        }
        switch (engineEvent)
        {
            case LogEvent log:
                output.WriteLine(log.Level == "info" ? log.Message : $"{log.Level}: {log.Message}");
                break;
            case ProgressEvent progress:
                output.WriteLine($"{progress.Stage}: {progress.Current}/{progress.Total}{(progress.Unit is null ? "" : " " + progress.Unit)}");
                break;
            case StepEvent step:
                output.WriteLine(FormattableString.Invariant($"step {step.Step}/{step.TotalSteps}: loss {step.Loss:0.0000}, lr {step.Lr:0.###e+0}") +
                                 (step.TokensPerS is { } rate ? FormattableString.Invariant($", {rate:0} tokens/s") : "") +
                                 (step.EtaS is { } eta ? $", {TimeSpan.FromSeconds(Math.Round(eta)):c} left" : ""));
                break;
            case EvalEvent eval:
                output.WriteLine(FormattableString.Invariant($"step {eval.Step}: eval loss {eval.EvalLoss:0.0000}"));
                break;
            case CheckpointEvent checkpoint:
                output.WriteLine($"step {checkpoint.Step}: checkpoint {checkpoint.Path}");
                break;
            case ArtifactEvent artifact:
                output.WriteLine($"wrote {artifact.Path} ({artifact.Kind})");
                break;
            case ResultEvent result:
                foreach (var (key, value) in result.Data)
                    output.WriteLine($"{key}: {(value is null ? "null" : value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString())}");
                break;
            case ErrorEvent error:
                errors.WriteLine($"error: {error.Message}");
                if (error.Hint is not null) errors.WriteLine($"hint: {error.Hint}");
                errors.Flush();
                break;
        }
    }
}
