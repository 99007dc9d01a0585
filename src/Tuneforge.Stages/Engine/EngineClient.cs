using Tuneforge.Protocol;
using Tuneforge.Targets;

namespace Tuneforge.Stages.Engine;

/// <summary>Runs one engine verb as a child process: writes the job file, reads the JSON-lines events, shows
/// progress, and turns an error event, a crash or an OOM kill into a <see cref="BuildException"/>.</summary>
/// <param name="engine">The engine's command line; null finds it (<see cref="EngineLocator"/>).</param>
public sealed class EngineClient(string rootDirectory, EngineCommand? engine = null)
{
    /// <param name="stopGrace">For a verb that runs until stopped (serve): how long it may take to shut down by itself
    /// after the build is cancelled (Ctrl-C reaches it too) before it is killed; a clean shutdown is then a success.</param>
    public async Task<EngineRun> RunAsync(EngineJob job, string outputDirectory, Action<EngineEvent>? onEvent = null,
        TimeSpan? stopGrace = null, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(outputDirectory);
        var jobFile = job.Write(outputDirectory);
        var (fileName, prefix) = engine ?? EngineLocator.Find(rootDirectory);
        var run = new EngineRun();
        var stderrTail = new Queue<string>();
        using var progress = new EventProgress(job.Verb);

        void OnLine(string line)
        {
            if (EventSerializer.TryParse(line) is not { } engineEvent)
            {
                Log.Debug(line); // native libraries sometimes print; keep it in the log file
                return;
            }
            run.Add(engineEvent);
            progress.Show(engineEvent);
            onEvent?.Invoke(engineEvent);
        }

        void OnError(string line)
        {
            Log.FileOnly(line);
            stderrTail.Enqueue(line);
            if (stderrTail.Count > 20) stderrTail.Dequeue();
        }

        using var hardStop = new CancellationTokenSource();
        await using var registration = cancellation.Register(() => hardStop.CancelAfter(stopGrace ?? TimeSpan.Zero));
        var exitCode = await ProcessRunner.RunAsync(fileName, [.. prefix, job.Verb, "--job", jobFile, "--out", outputDirectory],
            rootDirectory, OnLine, OnError, cancellation: hardStop.Token);
        if (run.Error is { } error)
            throw new BuildException(error.Hint is null ? error.Message : $"{error.Message}\n  {error.Hint}");
        if (exitCode != 0)
            throw new BuildException(CrashMessage(job.Verb, exitCode, stderrTail));
        return run;
    }

    static string CrashMessage(string verb, int exitCode, IEnumerable<string> stderr)
    {
        var reason = exitCode switch
        {
            137 => "it was killed (exit 137): usually the system ran out of memory; lower per_device_train_batch_size or max_seq_length, or use method: qlora",
            134 => "it aborted (exit 134) inside a native library",
            139 => "it crashed (exit 139, segmentation fault) inside a native library",
            _ => $"it exited with code {exitCode} without reporting an error",
        };
        var tail = string.Join("\n    ", stderr.TakeLast(8));
        return $"The engine's {verb} failed: {reason}.{(tail.Length > 0 ? $"\n  Last output:\n    {tail}" : "")}\n  Nothing was cached; the full output is in .nuke/temp/build.log.";
    }
}

/// <summary>Everything one engine run reported.</summary>
public sealed class EngineRun
{
    public List<EngineEvent> Events { get; } = [];
    public ErrorEvent? Error { get; private set; }
    public ResultEvent? Result { get; private set; }
    public IEnumerable<StepEvent> Steps => Events.OfType<StepEvent>();
    public IEnumerable<EvalEvent> Evaluations => Events.OfType<EvalEvent>();

    internal void Add(EngineEvent engineEvent)
    {
        Events.Add(engineEvent);
        if (engineEvent is ErrorEvent error) Error ??= error;
        if (engineEvent is ResultEvent result) Result = result;
    }
}
