using Tuneforge.Protocol;
using Tuneforge.Targets;

namespace Tuneforge.Stages.Engine;

/// <summary>Runs one engine verb as a child process: writes the job file, reads the JSON-lines events, shows
/// progress, and turns an error event, a crash or an OOM kill into a <see cref="BuildException"/>.</summary>
/// <param name="engine">The engine's command line; null finds it (<see cref="EngineLocator"/>).</param>
public sealed class EngineClient(string rootDirectory, EngineCommand? engine = null)
{
    /// <param name="stopGrace">For a verb that runs until stopped (serve): how long it may take to finish its requests after
    /// the build is cancelled (it gets SIGTERM) before it is killed; being stopped so is then its normal end.</param>
    /// <param name="verb">Another verb that reads the same job (prepare-train reads the train job); default the job's.</param>
    /// <param name="arguments">More options after <c>--out DIR</c>.</param>
    public async Task<EngineRun> RunAsync(EngineJob job, string outputDirectory, Action<EngineEvent>? onEvent = null,
        TimeSpan? stopGrace = null, CancellationToken cancellation = default, string? verb = null, IReadOnlyList<string>? arguments = null)
    {
        verb ??= job.Verb;
        Directory.CreateDirectory(outputDirectory);
        var jobFile = job.Write(outputDirectory);
        var (fileName, prefix) = engine ?? EngineLocator.Find(rootDirectory);
        using var events = new EventStream(verb, $"The engine's {verb}", onEvent);
        int exitCode;
        try
        {
            exitCode = await ProcessRunner.RunAsync(fileName, [.. prefix, verb, "--job", jobFile, "--out", outputDirectory, .. arguments ?? []],
                rootDirectory, events.OnLine, events.OnError, cancellation: cancellation, stopGrace: stopGrace);
        }
        catch (OperationCanceledException) when (stopGrace is not null && events.Run.Error is null or { Code: "cancelled" })
        {
            // Ctrl-C or SIGTERM is how a server ends: it was asked to stop (SIGTERM) and killed only if it had not within the
            // grace. Stopped while still loading its model, it reports "cancelled": that is the same stop.
            return events.Run;
        }
        return events.Finish(exitCode);
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
