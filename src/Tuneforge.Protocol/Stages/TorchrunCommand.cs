using System.Globalization;

namespace Tuneforge.Protocol;

/// <summary>The one torchrun command line every launcher runs (python -m torch.distributed.run ... -m tuneforge_worker).</summary>
public static class TorchrunCommand
{
    /// <summary>One machine: torchrun's own rendezvous on a free local port.</summary>
    public static readonly IReadOnlyList<string> Standalone = ["--standalone", "--nnodes", "1"];

    /// <summary>Several machines meeting at <paramref name="endpoint"/> (host:port of the first node).</summary>
    public static IReadOnlyList<string> Rendezvous(int nodes, string id, string endpoint) =>
        ["--nnodes", nodes.ToString(CultureInfo.InvariantCulture), "--rdzv_id", id, "--rdzv_backend", "c10d", "--rdzv_endpoint", endpoint];

    /// <summary>The arguments after the Python interpreter.</summary>
    public static IReadOnlyList<string> Arguments(WorkerLaunch launch, IReadOnlyList<string> rendezvous, string? logDirectory = null) =>
    [
        "-m", "torch.distributed.run", .. rendezvous,
        "--nproc_per_node", launch.Distributed.NprocPerNode.ToString(CultureInfo.InvariantCulture),
        // torch 1.13's torchrun crashes on Python 3.11 with its default redirects (FACTS.md); these avoid it, and keep each rank's stderr.
        "--redirects", "2", "--tee", "2", "--log_dir", logDirectory ?? launch.LogDirectory,
        "-m", "tuneforge_worker", "--out", launch.OutputDirectory,
    ];

    /// <summary>The environment the worker needs: its package on the path (only it: the nodes' own PYTHONPATH is not
    /// this machine's), lines flushed as they are printed.</summary>
    public static IReadOnlyDictionary<string, string> Environment(WorkerLaunch launch) => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["PYTHONPATH"] = launch.WorkerPackage,
        ["PYTHONUNBUFFERED"] = "1",
    };
}
