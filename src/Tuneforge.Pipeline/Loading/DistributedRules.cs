using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Pipeline.Loading;

/// <summary>Rules of <c>train.engine</c> and <c>train.distributed</c> that span several keys.</summary>
internal static class DistributedRules
{
    const string Path = "train.distributed";

    public static void Check(PipelineSpec spec, Action<string, string> fail)
    {
        var train = spec.Train;
        var distributed = train.Distributed;
        if (train.Engine == TrainEngine.Native)
        {
            if (distributed.WorldSize > 1)
                fail($"{Path}.{(distributed.NprocPerNode > 1 ? "nproc_per_node" : "nnodes")}",
                    $"the native engine trains in one process on one device, not {distributed.WorldSize}; set train.engine: torch to train on several processes.");
            if (distributed.Launcher != Launcher.Local)
                fail($"{Path}.launcher", $"{Name(distributed.Launcher)} starts the processes of the torch engine; set train.engine: torch (the native engine runs in the build's own engine process).");
            return;
        }

        if (train.Fp16 || (spec.Model.TorchDtype == TorchDtype.Float16 && !train.Bf16))
            fail(train.Fp16 ? "train.fp16" : "model.torch_dtype", "float16 needs dynamic loss scaling, which train.engine: torch does not do; use bf16: true (or engine: native).");
        if (train.Method == TrainMethod.Qlora)
            fail("train.method", "qlora is not supported by train.engine: torch (its 4-bit NF4 base is the native engine's own); use lora or full, or engine: native.");
        if (train.Method != TrainMethod.Full && train.Lora.ModulesToSave.Count > 0)
            fail("train.lora.modules_to_save", "is not supported by train.engine: torch yet (its worker trains the adapters only); remove it, or use engine: native.");
        if (distributed.Launcher == Launcher.Local && distributed.Nnodes > 1)
            fail($"{Path}.nnodes", $"launcher local starts processes on this machine only, not on {distributed.Nnodes} nodes; use launcher slurm or kubernetes.");
        if (distributed.SharedDir is { } shared && !System.IO.Path.IsPathFullyQualified(shared))
            fail($"{Path}.shared_dir", $"'{shared}' must be an absolute path: every node resolves it on its own.");
        if (distributed.SharedDir is null && distributed.Nnodes > 1)
            fail($"{Path}.shared_dir", "is required with nnodes > 1: every node reads the worker's inputs and the base weights there, and rank 0 writes the output there.");
        if (distributed.Launcher == Launcher.Kubernetes)
        {
            if (distributed.Kubernetes.Image is null)
                fail($"{Path}.kubernetes.image", "is required with launcher kubernetes: an image with Python, torch and the worker package (src/Tuneforge.Worker).");
            if (distributed.SharedDir is null)
                fail($"{Path}.shared_dir", "is required with launcher kubernetes: the pods read their inputs and write the adapter there.");
            if (distributed.Kubernetes.VolumeClaim is null)
                fail($"{Path}.kubernetes.volume_claim", "is required with launcher kubernetes: the PersistentVolumeClaim mounted at shared_dir in every pod.");
        }
        if (spec.Model.Device == DeviceKind.Cpu && distributed.Backend == DistributedBackend.Nccl)
            fail($"{Path}.backend", "nccl needs GPUs, and model.device is cpu; use gloo or auto.");
        if (spec.Model.Device == DeviceKind.Cpu && distributed.Strategy == DistributedStrategy.DeepspeedZero3)
            fail($"{Path}.strategy", "deepspeed_zero3 needs GPUs, and model.device is cpu; use ddp or auto.");
    }

    static string Name(Launcher launcher) => Model.SpecModel.EnumName(launcher);
}
