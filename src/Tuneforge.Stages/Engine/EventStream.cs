using Tuneforge.Protocol;
using Tuneforge.Targets;

namespace Tuneforge.Stages.Engine;

/// <summary>The build's handling of one process's JSON-lines events, whoever speaks them (the engine, the PyTorch
/// worker under a launcher): progress, the log file, the run's record, and the build error when it ends badly.</summary>
/// <param name="what">Who ran, for the error: "The engine's train", "The PyTorch worker (launcher slurm)".</param>
/// <param name="crashHint">What to look at when it fails without an error event (where the ranks' logs are).</param>
/// <param name="shownLines">How many of the last stderr lines a failure shows (torchrun's report of a failed rank is ~16).</param>
public sealed class EventStream(string verb, string what, Action<EngineEvent>? onEvent = null, string? crashHint = null, int shownLines = 8) : IDisposable
{
    readonly EventProgress progress = new(verb);
    readonly Queue<string> stderrTail = new();
    readonly Lock gate = new();

    public EngineRun Run { get; } = new();

    /// <summary>A line of the events channel (stdout, or a tailed events.jsonl); what is not an event goes to the log file.</summary>
    public void OnLine(string line)
    {
        if (EventSerializer.TryParse(line) is not { } engineEvent)
        {
            Log.Debug(line); // native libraries sometimes print; keep it in the log file
            return;
        }
        lock (gate)
        {
            Run.Add(engineEvent);
            progress.Show(engineEvent);
            onEvent?.Invoke(engineEvent);
        }
    }

    /// <summary>A diagnostic line (stderr): kept in the log file, the last ones shown when the process fails.</summary>
    public void OnError(string line)
    {
        Log.FileOnly(line);
        lock (gate)
        {
            stderrTail.Enqueue(line);
            if (stderrTail.Count > Math.Max(20, shownLines)) stderrTail.Dequeue();
        }
    }

    /// <summary>The run, or the build error its error event or exit code means.</summary>
    public EngineRun Finish(int exitCode)
    {
        if (Run.Error is { } error)
            throw new BuildException((error.Hint is null ? error.Message : $"{error.Message}\n  {error.Hint}") + (error.Code == PeerLost ? LastOutput() : ""));
        if (exitCode != 0)
            throw new BuildException(CrashMessage(exitCode));
        return Run;
    }

    /// <summary>The worker's error code when a rank lost the others: the cause is another process's, shown in the last output (torchrun's report).</summary>
    public const string PeerLost = "peer";

    string LastOutput()
    {
        var tail = string.Join("\n    ", stderrTail.TakeLast(shownLines));
        return tail.Length > 0 ? $"\n  Last output:\n    {tail}" : "";
    }

    string CrashMessage(int exitCode)
    {
        var reason = exitCode switch
        {
            137 => "it was killed (exit 137): usually the system ran out of memory; lower per_device_train_batch_size or max_seq_length, or use method: qlora",
            134 => "it aborted (exit 134) inside a native library",
            139 => "it crashed (exit 139, segmentation fault) inside a native library",
            _ => $"it exited with code {exitCode} without reporting an error",
        };
        var hint = crashHint is null ? "" : $"\n  {crashHint}";
        return $"{what} failed: {reason}.{hint}{LastOutput()}\n  Nothing was cached; the full output is in .nuke/temp/build.log.";
    }

    public void Dispose() => progress.Dispose();
}
