using Snapshooter.Xunit;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Protocol;
using Tuneforge.Stages.Distributed;

namespace Tuneforge.Stages.Tests.Distributed;

/// <summary>What the Slurm and Kubernetes launchers hand their scheduler, as golden files (__snapshots__/; a changed
/// file fails the test and is written beside it as __mismatch__/ to compare and copy over).</summary>
public class LaunchFilesTests
{
    static readonly WorkerLaunch TwoNodes = new("/shared/tuneforge-train-0123456789ab", new DistributedSpec
    {
        Launcher = Launcher.Kubernetes,
        Nnodes = 2,
        NprocPerNode = 4,
        Strategy = DistributedStrategy.Fsdp2,
        SharedDir = "/shared",
        Python = "/opt/venv/bin/python",
        Slurm = new SlurmSpec { Partition = "gpu", Account = "ml-team", Time = "02:00:00", GpusPerNode = 4, CpusPerTask = 16, ExtraArgs = ["--qos=high"] },
        Kubernetes = new KubernetesSpec
        {
            Namespace = "training", Image = "registry.example.com/tuneforge-worker:1", VolumeClaim = "tuneforge-shared", GpusPerNode = 4,
            ServiceAccount = "trainer", NodeSelector = new() { ["nvidia.com/gpu.product"] = "H100-SXM", ["pool"] = "a" },
        },
    }, "/shared/tuneforge-train-0123456789ab/worker-package", "tuneforge-train-0123456789ab");

    [Fact]
    public void The_pytorchjob_manifest_matches_its_golden_file() => Snapshot.Match(PyTorchJobManifest.Render(TwoNodes));

    [Fact]
    public void The_pytorchjob_of_one_node_has_a_master_and_no_workers()
    {
        var manifest = PyTorchJobManifest.Render(TwoNodes with { Distributed = TwoNodes.Distributed with { Nnodes = 1 } });
        Assert.Contains("    Master:\n      replicas: 1\n", manifest);
        Assert.DoesNotContain("Worker:", manifest);
    }

    [Fact]
    public void The_sbatch_script_matches_its_golden_file() => Snapshot.Match(SlurmScript.Render(TwoNodes with { Distributed = TwoNodes.Distributed with { Launcher = Launcher.Slurm } }));

    [Fact]
    public void The_sbatch_script_leaves_out_the_settings_that_are_not_set()
    {
        var script = SlurmScript.Render(TwoNodes with { Distributed = new DistributedSpec { Launcher = Launcher.Slurm, NprocPerNode = 2 } });
        Assert.DoesNotContain("--partition", script);
        Assert.DoesNotContain("--gpus-per-node", script);
        Assert.Contains("#SBATCH --nodes=1\n", script);
        Assert.Contains(" python3 -m torch.distributed.run --nnodes 1 --rdzv_id \"$SLURM_JOB_ID\"", script);
    }

    [Fact]
    public async Task Kubernetes_without_kubectl_is_a_clear_error_that_points_at_the_written_manifest()
    {
        using var scratch = new Scratch();
        var launch = TwoNodes with { OutputDirectory = scratch.Path };
        using var events = new Tuneforge.Stages.Engine.EventStream("train", "The PyTorch worker");
        var error = await Assert.ThrowsAsync<Tuneforge.Targets.BuildException>(() => new KubernetesLauncher(searchPath: scratch.File("empty-bin")).RunAsync(launch, events, default));
        var manifest = KubernetesLauncher.ManifestPath(launch);
        Assert.Equal($"'kubectl' is not on this machine's PATH: launcher kubernetes applies the PyTorchJob with it.\n  Install kubectl with a kubeconfig for the cluster (KUBECONFIG), or apply {manifest} yourself.", error.Message);
        Assert.Equal(PyTorchJobManifest.Render(launch), File.ReadAllText(manifest));
    }
}
