using Tuneforge.Pipeline.Spec;
using Tuneforge.Protocol;
using Tuneforge.Stages.Engine;

namespace Tuneforge.Stages.Distributed;

/// <summary>Starts the worker somewhere and waits for it; its events go to the stream as they come.</summary>
public interface IWorkerLauncher
{
    /// <returns>The worker's exit status and what the stage summary shows about the launch (a scheduler's job id).</returns>
    Task<LaunchOutcome> RunAsync(WorkerLaunch launch, EventStream events, CancellationToken cancellation);
}

public sealed record LaunchOutcome(int ExitCode, IReadOnlyList<(string Key, string Value)> Summary)
{
    public static LaunchOutcome Of(int exitCode, params (string Key, string Value)[] summary) => new(exitCode, summary);
}

/// <summary>The launcher of <c>train.distributed.launcher</c>.</summary>
public static class WorkerLaunchers
{
    public static IWorkerLauncher For(Launcher launcher) => launcher switch
    {
        Launcher.Local => new LocalLauncher(),
        Launcher.Slurm => new SlurmLauncher(),
        Launcher.Kubernetes => new KubernetesLauncher(),
        _ => throw new ArgumentOutOfRangeException(nameof(launcher), launcher, null),
    };
}
