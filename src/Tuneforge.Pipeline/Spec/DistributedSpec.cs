using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Tuneforge.Pipeline.Spec;

public enum TrainEngine { Native, Torch }

public enum Launcher { Local, Slurm, Kubernetes }

public enum DistributedStrategy { Auto, Ddp, Fsdp2, DeepspeedZero3 }

public enum DistributedBackend { Auto, Nccl, Gloo }

/// <summary>
/// How <c>train.engine: torch</c> runs: where (launcher, nodes, paths, scheduler settings) and how the work is split
/// (strategy, world size, backend). Only the split changes results; <see cref="TrainKey"/> keeps the rest out of the
/// Train cache key.
/// </summary>
public sealed record DistributedSpec
{
    [Description("Who starts the torchrun processes: local (this machine), slurm (sbatch + srun) or kubernetes (a Kubeflow PyTorchJob).")]
    public Launcher Launcher { get; init; } = Launcher.Local;

    [Description("Machines taking part; more than 1 needs launcher slurm or kubernetes and a shared_dir.")]
    [Range(1, 4096)]
    public int Nnodes { get; init; } = 1;

    [Description("Processes per machine (one per GPU); per_device_train_batch_size is per process.")]
    [Range(1, 1024)]
    public int NprocPerNode { get; init; } = 1;

    [Description("auto (fsdp2 on GPUs, ddp on CPU), ddp (every process holds the model), fsdp2 (weights, gradients and optimizer state sharded) or deepspeed_zero3 (needs DeepSpeed on the nodes).")]
    public DistributedStrategy Strategy { get; init; } = DistributedStrategy.Auto;

    [Description("Collective backend: auto (nccl on GPUs, gloo on CPU), nccl or gloo.")]
    public DistributedBackend Backend { get; init; } = DistributedBackend.Auto;

    [Description("A folder every node sees at the same path (the worker's inputs, the base weights, the output); needed with several nodes and with kubernetes.")]
    public string? SharedDir { get; init; }

    [Description("The Python interpreter with torch on the nodes (it also runs torchrun as python -m torch.distributed.run).")]
    public string Python { get; init; } = "python3";

    [Description("sbatch settings for launcher: slurm.")]
    public SlurmSpec Slurm { get; init; } = new();

    [Description("PyTorchJob settings for launcher: kubernetes.")]
    public KubernetesSpec Kubernetes { get; init; } = new();

    /// <summary>Processes in all: nnodes × nproc_per_node.</summary>
    [JsonIgnore]
    public int WorldSize => Nnodes * NprocPerNode;
}

public sealed record SlurmSpec
{
    [Description("Partition (sbatch --partition); the cluster's default when not set.")]
    public string? Partition { get; init; }

    [Description("Account to charge (sbatch --account).")]
    public string? Account { get; init; }

    [Description("Time limit (sbatch --time): minutes, HH:MM:SS or D-HH:MM:SS.")]
    [RegularExpression(@"^(\d+-)?\d+(:\d{1,2}){0,2}$")]
    public string? Time { get; init; }

    [Description("GPUs per node to request (sbatch --gpus-per-node); 0 asks for none.")]
    [Range(0, 1024)]
    public int GpusPerNode { get; init; }

    [Description("CPUs per task (sbatch --cpus-per-task); 0 leaves the cluster's default.")]
    [Range(0, 4096)]
    public int CpusPerTask { get; init; }

    [Description("More sbatch arguments, passed as given (e.g. --qos=high).")]
    public List<string> ExtraArgs { get; init; } = [];
}

public sealed record KubernetesSpec
{
    [Description("Namespace of the PyTorchJob.")]
    [RegularExpression("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    public string Namespace { get; init; } = "default";

    [Description("Container image with Python, torch and the worker package (required with launcher: kubernetes).")]
    public string? Image { get; init; }

    [Description("PersistentVolumeClaim mounted at shared_dir in every pod.")]
    public string? VolumeClaim { get; init; }

    [Description("GPUs per pod (resource nvidia.com/gpu); 0 asks for none.")]
    [Range(0, 1024)]
    public int GpusPerNode { get; init; }

    [Description("Service account the pods run as.")]
    public string? ServiceAccount { get; init; }

    [Description("Node labels the pods must match (nodeSelector).")]
    public Dictionary<string, string> NodeSelector { get; init; } = [];
}
