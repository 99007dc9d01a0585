using Tuneforge.Pipeline.Loading;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Protocol;

namespace Tuneforge.Stages.Tests;

/// <summary>What of train.distributed enters the Train cache key (TrainKey), from pipeline text as a user writes it.</summary>
public class TrainKeyTests
{
    const string Minimal = "name: demo\ndata:\n  sources: [data/a.jsonl]\n";

    static TrainSpec Train(string yaml) => SpecLoader.Parse(Minimal + yaml, "pipelines/demo.yaml").Train;

    [Fact]
    public void Launcher_scheduler_image_and_paths_do_not_change_the_train_key()
    {
        var local = Train("train:\n  engine: torch\n  distributed:\n    nproc_per_node: 2\n");
        var elsewhere = Train("""
            train:
              engine: torch
              distributed:
                launcher: kubernetes
                nnodes: 2
                nproc_per_node: 1
                shared_dir: /mnt/shared
                python: /opt/bin/python3
                slurm: {partition: gpu, time: "10:00"}
                kubernetes: {namespace: ml, image: "registry/worker:1", volume_claim: runs}
            """);
        Assert.Equal(TrainKey.Canonical(local), TrainKey.Canonical(elsewhere));
    }

    [Fact]
    public void Engine_strategy_world_size_and_backend_change_the_train_key()
    {
        var torch = Train("train:\n  engine: torch\n");
        var keys = new[]
        {
            TrainKey.Canonical(Train("")),
            TrainKey.Canonical(torch),
            TrainKey.Canonical(Train("train:\n  engine: torch\n  distributed:\n    nproc_per_node: 2\n")),
            TrainKey.Canonical(Train("train:\n  engine: torch\n  distributed:\n    strategy: ddp\n")),
            TrainKey.Canonical(Train("train:\n  engine: torch\n  distributed:\n    backend: gloo\n")),
        };
        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.Contains($"\"distributed\":{{\"backend\":\"auto\",\"strategy\":\"auto\",\"worker\":\"{TrainStage.WorkerSalt}\",\"world_size\":1}}", keys[1]);
        Assert.Contains("\"engine\":\"torch\"", keys[1]);
    }

    [Fact]
    public void The_native_key_has_neither_engine_nor_distributed_so_earlier_native_entries_stay_valid()
    {
        var key = TrainKey.Canonical(Train("train:\n  learning_rate: 1.0e-4\n"));
        Assert.DoesNotContain("\"engine\"", key);
        Assert.DoesNotContain("\"distributed\"", key);
        Assert.StartsWith("{\"adam_beta1\":0.9,\"adam_beta2\":0.999,\"adam_epsilon\":1E-08,", key);
        Assert.Contains("\"learning_rate\":0.0001,", key);
    }
}
