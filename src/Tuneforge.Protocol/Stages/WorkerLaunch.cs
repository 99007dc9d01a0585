using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Protocol;

/// <summary>What a launcher of <c>train.engine: torch</c> starts: the PyTorch worker (src/Tuneforge.Worker) under torchrun on inputs prepare-train wrote.</summary>
/// <param name="OutputDirectory">The worker's <c>--out</c>: its inputs are in worker/, it writes the adapter and events.jsonl here.</param>
/// <param name="WorkerPackage">The folder that holds the tuneforge_worker package (PYTHONPATH).</param>
/// <param name="Name">The job's name at a scheduler: tuneforge-train-&lt;hash&gt; (a valid Kubernetes name).</param>
public sealed record WorkerLaunch(string OutputDirectory, DistributedSpec Distributed, string WorkerPackage, string Name)
{
    /// <summary>Where torchrun writes each rank's stderr (its --log_dir).</summary>
    public string LogDirectory => Path.Combine(OutputDirectory, "torchrun-logs");
}
