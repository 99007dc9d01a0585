using Tuneforge.Pipeline.Loading;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Pipeline.Tests;

public class DistributedSpecTests
{
    const string Minimal = "name: demo\ndata:\n  sources: [data/a.jsonl]\n";

    static string ErrorOf(string yaml, params string[] overrides) =>
        Assert.Throws<SpecException>(() => SpecLoader.Parse(yaml, "pipelines/demo.yaml", overrides)).Message;

    static TrainSpec Train(string yaml, params string[] overrides) => SpecLoader.Parse(Minimal + yaml, "pipelines/demo.yaml", overrides).Train;

    [Fact]
    public void The_torch_engine_reads_its_launcher_processes_and_scheduler_settings()
    {
        var train = Train("""
            train:
              engine: torch
              distributed:
                launcher: slurm
                nnodes: 2
                nproc_per_node: 4
                strategy: deepspeed_zero3
                backend: nccl
                shared_dir: /shared/runs
                python: /opt/venv/bin/python
                slurm:
                  partition: gpu
                  account: team-a
                  time: "1-02:00:00"
                  gpus_per_node: 4
                  extra_args: [--qos=high]
            """);
        Assert.Equal(TrainEngine.Torch, train.Engine);
        var d = train.Distributed;
        Assert.Equal((Launcher.Slurm, 2, 4, 8), (d.Launcher, d.Nnodes, d.NprocPerNode, d.WorldSize));
        Assert.Equal((DistributedStrategy.DeepspeedZero3, DistributedBackend.Nccl), (d.Strategy, d.Backend));
        Assert.Equal(("/shared/runs", "/opt/venv/bin/python"), (d.SharedDir, d.Python));
        Assert.Equal(("gpu", "team-a", "1-02:00:00", 4), (d.Slurm.Partition, d.Slurm.Account, d.Slurm.Time, d.Slurm.GpusPerNode));
        Assert.Equal(["--qos=high"], d.Slurm.ExtraArgs);
    }

    [Fact]
    public void The_defaults_are_one_native_process_with_the_strategy_and_backend_chosen_by_the_device()
    {
        var train = Train("");
        Assert.Equal(TrainEngine.Native, train.Engine);
        Assert.Equal((Launcher.Local, 1, 1, DistributedStrategy.Auto, DistributedBackend.Auto, "python3"),
            (train.Distributed.Launcher, train.Distributed.Nnodes, train.Distributed.NprocPerNode, train.Distributed.Strategy, train.Distributed.Backend, train.Distributed.Python));
    }

    [Fact]
    public void The_native_engine_refuses_several_processes_and_other_launchers_with_the_yaml_path()
    {
        Assert.Equal("pipelines/demo.yaml:6:21: train.distributed.nproc_per_node: the native engine trains in one process on one device, not 2; set train.engine: torch to train on several processes.",
            ErrorOf(Minimal + "train:\n  distributed:\n    nproc_per_node: 2\n"));
        Assert.Equal("pipelines/demo.yaml:6:15: train.distributed.launcher: slurm starts the processes of the torch engine; set train.engine: torch (the native engine runs in the build's own engine process).",
            ErrorOf(Minimal + "train:\n  distributed:\n    launcher: slurm\n"));
    }

    [Fact]
    public void Torch_engine_combinations_that_cannot_run_are_explained()
    {
        Assert.Equal("pipelines/demo.yaml:5:11: train.method: qlora is not supported by train.engine: torch (its 4-bit NF4 base is the native engine's own); use lora or full, or engine: native.",
            ErrorOf(Minimal + "train:\n  method: qlora\n  engine: torch\n"));
        Assert.Equal("pipelines/demo.yaml:7:22: train.lora.modules_to_save: is not supported by train.engine: torch yet (its worker trains the adapters only); remove it, or use engine: native.",
            ErrorOf(Minimal + "train:\n  engine: torch\n  lora:\n    modules_to_save: [norm]\n"));
        Assert.Equal("pipelines/demo.yaml:7:13: train.distributed.nnodes: launcher local starts processes on this machine only, not on 2 nodes; use launcher slurm or kubernetes.",
            ErrorOf(Minimal + "train:\n  engine: torch\n  distributed:\n    nnodes: 2\n    shared_dir: /shared\n"));
        Assert.Equal("pipelines/demo.yaml:5:9: train.fp16: float16 needs dynamic loss scaling, which train.engine: torch does not do; use bf16: true (or engine: native).",
            ErrorOf(Minimal + "train:\n  fp16: true\n  engine: torch\n"));
        Assert.Equal("pipelines/demo.yaml:9:14: train.distributed.backend: nccl needs GPUs, and model.device is cpu; use gloo or auto.",
            ErrorOf(Minimal + "model:\n  device: cpu\ntrain:\n  engine: torch\n  distributed:\n    backend: nccl\n"));
    }

    [Fact]
    public void Several_nodes_and_kubernetes_need_a_shared_folder_an_image_and_a_volume_claim()
    {
        var several = ErrorOf(Minimal + "train:\n  engine: torch\n  distributed:\n    launcher: slurm\n    nnodes: 2\n");
        Assert.Contains("train.distributed.shared_dir: is required with nnodes > 1", several);
        var kubernetes = ErrorOf(Minimal + "train:\n  engine: torch\n  distributed:\n    launcher: kubernetes\n");
        Assert.Contains("3 problems in the pipeline spec", kubernetes);
        Assert.Contains("train.distributed.kubernetes.image: is required with launcher kubernetes", kubernetes);
        Assert.Contains("train.distributed.shared_dir: is required with launcher kubernetes", kubernetes);
        Assert.Contains("train.distributed.kubernetes.volume_claim: is required with launcher kubernetes", kubernetes);
        Assert.Contains("train.distributed.shared_dir: 'runs' must be an absolute path",
            ErrorOf(Minimal + "train:\n  engine: torch\n  distributed:\n    shared_dir: runs\n"));
    }

    [Fact]
    public void Misspelt_strategies_and_slurm_times_get_a_hint()
    {
        Assert.Equal("pipelines/demo.yaml:7:15: train.distributed.strategy: 'fsdp' is not one of: auto, ddp, fsdp2, deepspeed_zero3. Did you mean 'fsdp2'?",
            ErrorOf(Minimal + "train:\n  engine: torch\n  distributed:\n    strategy: fsdp\n"));
        Assert.Contains("train.distributed.slurm.time: '2 hours' does not match the expected form",
            ErrorOf(Minimal + "train:\n  engine: torch\n  distributed:\n    slurm:\n      time: 2 hours\n"));
    }
}
