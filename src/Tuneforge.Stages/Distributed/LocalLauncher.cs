using Tuneforge.Protocol;
using Tuneforge.Stages.Engine;
using Tuneforge.Targets;

namespace Tuneforge.Stages.Distributed;

/// <summary><c>launcher: local</c>: torchrun --standalone on this machine; rank 0's events arrive on its stdout. A
/// cancelled build stops torchrun and every rank (SIGTERM to the process tree, then SIGKILL).</summary>
public sealed class LocalLauncher : IWorkerLauncher
{
    public async Task<LaunchOutcome> RunAsync(WorkerLaunch launch, EventStream events, CancellationToken cancellation)
    {
        var python = Executables.Require(launch.Distributed.Python, "train.distributed.python", "the Python interpreter with torch that runs torchrun and the worker");
        var exitCode = await ProcessRunner.RunAsync(python, TorchrunCommand.Arguments(launch, TorchrunCommand.Standalone), launch.OutputDirectory,
            events.OnLine, events.OnError, TorchrunCommand.Environment(launch), cancellation);
        return LaunchOutcome.Of(exitCode);
    }
}
