using System.Text;
using Tuneforge.Protocol;

namespace Tuneforge.Stages.Distributed;

/// <summary>
/// The sbatch script of <c>launcher: slurm</c>: one task per node, each a torchrun agent (srun), meeting at the
/// allocation's first node (MASTER_ADDR from <c>scontrol show hostnames</c>) on a port free there.
/// </summary>
public static class SlurmScript
{
    /// <summary>Where the script and the job's output file go.</summary>
    public static string Directory(WorkerLaunch launch) => Path.Combine(launch.OutputDirectory, "slurm");

    public static string OutputFile(WorkerLaunch launch, string jobId) => Path.Combine(Directory(launch), $"slurm-{jobId}.out");

    public static string Render(WorkerLaunch launch)
    {
        var d = launch.Distributed;
        var slurm = d.Slurm;
        var script = new StringBuilder();
        script.Append("#!/bin/bash\n");
        script.Append("# The Train stage on the PyTorch worker (train.engine: torch, launcher: slurm), written by Tuneforge; run with sbatch --wait.\n");
        Directive(script, $"--job-name={launch.Name}");
        Directive(script, $"--nodes={d.Nnodes}");
        Directive(script, "--ntasks-per-node=1");
        Directive(script, $"--output={Path.Combine(Directory(launch), "slurm-%j.out")}");
        if (slurm.Partition is { } partition) Directive(script, $"--partition={partition}");
        if (slurm.Account is { } account) Directive(script, $"--account={account}");
        if (slurm.Time is { } time) Directive(script, $"--time={time}");
        if (slurm.GpusPerNode > 0) Directive(script, $"--gpus-per-node={slurm.GpusPerNode}");
        if (slurm.CpusPerTask > 0) Directive(script, $"--cpus-per-task={slurm.CpusPerTask}");
        foreach (var argument in slurm.ExtraArgs) Directive(script, argument);
        script.Append("set -euo pipefail\n");
        foreach (var (name, value) in TorchrunCommand.Environment(launch))
            script.Append($"export {name}={ShellQuote.Word(value)}\n");
        script.Append("MASTER_ADDR=$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | head -n 1)\n");
        // The batch script runs on the first node: a port the kernel hands out there is free for the rendezvous.
        script.Append($"MASTER_PORT=$({ShellQuote.Word(d.Python)} -c 'import socket; s = socket.socket(); s.bind((\"\", 0)); print(s.getsockname()[1])')\n");
        script.Append("export MASTER_ADDR MASTER_PORT\n");
        script.Append("echo \"tuneforge: job $SLURM_JOB_ID on $SLURM_JOB_NODELIST, rendezvous at $MASTER_ADDR:$MASTER_PORT\"\n");
        var torchrun = TorchrunCommand.Arguments(launch, TorchrunCommand.Rendezvous(d.Nnodes, "$SLURM_JOB_ID", "$MASTER_ADDR:$MASTER_PORT"));
        // --kill-on-bad-exit: a node whose agent fails ends the others at once instead of leaving them in a collective.
        script.Append($"srun --kill-on-bad-exit=1 --ntasks-per-node=1 {ShellQuote.Word(d.Python)} {string.Join(" ", torchrun.Select(Argument))}\n");
        return script.ToString();
    }

    static void Directive(StringBuilder script, string argument) => script.Append($"#SBATCH {argument}\n");

    // The rendezvous words are expanded by the shell on the node; everything else is quoted as it is.
    static string Argument(string word) => word.StartsWith('$') ? $"\"{word}\"" : ShellQuote.Word(word);
}
