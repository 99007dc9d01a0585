using System.Text.Json.Nodes;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Engine.Training.Worker;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Engine.Tests.Worker;

/// <summary>Runs the workers one at a time: each already uses both cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WorkerCollection
{
    public const string Name = "PyTorch worker";
}

/// <summary>One job trained twice: natively (one process, batch 4) and by the PyTorch worker (two gloo ranks, batch 2 each).</summary>
public sealed class WorkerParityFixture : IAsyncLifetime
{
    public TempDirectory Directory { get; } = new();
    public string Native => Directory.File("native");
    public string Torch => Directory.File("torch");
    public List<EngineEvent> NativeEvents { get; } = [];
    public JsonObject NativeResult { get; private set; } = [];
    public TrainResult NativeTyped { get; private set; } = null!;
    public WorkerRun Worker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (PythonReference.Python is null && Environment.GetEnvironmentVariable("CI") != "true") return;
        WorkerFixtures.WriteSplits(Directory.Path);
        var model = WorkerFixtures.SmallR1(Directory.Path);
        NativeTyped = await WorkerFixtures.TrainNatively(WorkerFixtures.Job(Directory.Path, model, WorkerFixtures.Spec(batch: 4, processes: 1)), Native, NativeEvents);
        NativeResult = StageResult.ToEvent(TrainStage.Verb, NativeTyped).Data;
        Worker = await WorkerFixtures.TrainWithWorker(WorkerFixtures.Job(Directory.Path, model, WorkerFixtures.Spec(batch: 2, processes: 2)), Torch, processes: 2);
    }

    public Task DisposeAsync()
    {
        Directory.Dispose();
        return Task.CompletedTask;
    }
}

[Collection(WorkerCollection.Name)]
public sealed class WorkerParityTests(WorkerParityFixture run) : IClassFixture<WorkerParityFixture>
{
    [WorkerFact]
    public void Two_gloo_ranks_train_the_adapter_the_native_engine_trains()
    {
        Assert.True(run.Worker.ExitCode == 0, run.Worker.ToString());
        var native = run.NativeEvents.OfType<StepEvent>().ToList();
        var torch = run.Worker.Steps.ToList();
        Assert.Equal(native.Select(s => (s.Step, s.Epoch, s.Lr)), torch.Select(s => (s.Step, s.Epoch, s.Lr)));
        // The same batches through the same float32 math: the losses differ only by summation order.
        for (var i = 0; i < native.Count; i++)
        {
            Assert.True(Math.Abs(native[i].Loss - torch[i].Loss) < 1e-5, $"step {i + 1}: loss {native[i].Loss} vs {torch[i].Loss}");
            Assert.True(Math.Abs(native[i].GradNorm!.Value - torch[i].GradNorm!.Value) < 1e-4 * native[i].GradNorm, $"step {i + 1}: grad_norm {native[i].GradNorm} vs {torch[i].GradNorm}");
        }
        Assert.True(native[0].GradNorm > 1, "the gradients must be clipped (max_grad_norm 1) for the check to cover clipping");
        var (nativeEval, torchEval) = (run.NativeEvents.OfType<EvalEvent>().ToList(), run.Worker.Events.OfType<EvalEvent>().ToList());
        Assert.Equal(nativeEval.Select(e => e.Step), torchEval.Select(e => e.Step));
        Assert.All(nativeEval.Zip(torchEval), p => Assert.True(Math.Abs(p.First.EvalLoss - p.Second.EvalLoss) < 1e-5, $"eval_loss {p.First.EvalLoss} vs {p.Second.EvalLoss}"));

        // Tolerance: both start from the same step-0 adapter and see the same batches, so only float32 rounding differs
        // (BLAS blocking, attention by query blocks vs whole, the all-reduce's order). Measured: 3 of 155,648 weights
        // differ by more than 1e-5 (0.5% of one step at lr 2e-3), the largest by 2.6e-5 — Adam's noise-floor weights.
        var start = WorkerFixtures.InitialAdapter(run.Torch);
        var disagreement = WorkerFixtures.Disagreement(WorkerFixtures.Adapter(run.Native), WorkerFixtures.Adapter(run.Torch), start);
        Assert.True(disagreement < 1e-3, $"{disagreement:P3} of the weights differ by more than 1e-5");
    }

    [WorkerFact]
    public void The_worker_speaks_the_engines_protocol_on_stdout_and_in_events_jsonl()
    {
        Assert.True(run.Worker.ExitCode == 0, run.Worker.ToString());
        var jsonLines = run.Worker.Lines.Where(l => l.StartsWith('{')).ToList();
        Assert.All(jsonLines, line => Assert.NotNull(EventSerializer.TryParse(line)));
        Assert.Equal(jsonLines, File.ReadAllLines(new TrainOutputs(run.Torch).EventsPath));
        Assert.Equal([1, 2, 3, 4], run.Worker.Steps.Select(s => s.Step));
        Assert.All(run.Worker.Steps, s => Assert.Equal(4, s.TotalSteps));
        Assert.Equal([2, 4], run.Worker.Events.OfType<CheckpointEvent>().Select(c => c.Step));
        Assert.Contains(run.Worker.Events.OfType<ArtifactEvent>(), a => a.Kind == "adapter" && System.IO.Directory.Exists(a.Path));

        var result = run.Worker.Result!;
        Assert.Equal("train", result.Verb);
        Assert.Empty(run.NativeResult.Select(p => p.Key).Except(result.Data.Select(p => p.Key)));
        Assert.Equal(("torch", 2, "ddp", "gloo"), ((string?)result.Data["engine"], (int)result.Data["world_size"]!, (string?)result.Data["strategy"], (string?)result.Data["backend"]));
        foreach (var key in new[] { "global_step", "total_steps", "train_examples", "val_examples", "tokens_seen", "trained_tokens_seen", "trainable_parameters", "total_parameters", "best_checkpoint", "weights" })
            Assert.Equal(run.NativeResult[key]?.ToJsonString(), result.Data[key]?.ToJsonString());
        Assert.Equal((double)run.NativeResult["eval_loss"]!, (double)result.Data["eval_loss"]!, 4);
        var typed = StageResult.Read<TrainResult>(result, TrainStage.Verb);   // what the build reads
        Assert.Equal((run.NativeTyped.GlobalStep, run.NativeTyped.Weights, run.NativeTyped.ComputeDtype), (typed.GlobalStep, typed.Weights, typed.ComputeDtype));
    }

    [WorkerFact]
    public void The_worker_writes_the_adapter_trainer_state_and_checkpoints_the_native_engine_writes()
    {
        Assert.True(run.Worker.ExitCode == 0, run.Worker.ToString());
        Assert.Equal(File.ReadAllText(Path.Combine(run.Native, "adapter", PeftAdapterConfig.FileName)), File.ReadAllText(Path.Combine(run.Torch, "adapter", PeftAdapterConfig.FileName)));
        var nativeState = JsonNode.Parse(File.ReadAllText(Path.Combine(run.Native, "trainer_state.json")))!.AsObject();
        var torchState = JsonNode.Parse(File.ReadAllText(Path.Combine(run.Torch, "trainer_state.json")))!.AsObject();
        Assert.Equal(Keys(nativeState), Keys(torchState));
        Assert.Equal(Keys(nativeState["resume"]!.AsObject()), Keys(torchState["resume"]!.AsObject()));
        string Entries(JsonObject state) => string.Join(" ", state["log_history"]!.AsArray().Select(e => $"{e!["step"]}:{string.Join(",", Keys(e.AsObject()))}"));
        Assert.Equal(Entries(nativeState), Entries(torchState));
        Assert.Equal(nativeState["best_model_checkpoint"]!.ToJsonString(), torchState["best_model_checkpoint"]!.ToJsonString());

        var checkpoint = Path.Combine("checkpoints", "checkpoint-4");
        Assert.Equal(Files(Path.Combine(run.Native, checkpoint)), Files(Path.Combine(run.Torch, checkpoint)));
        Assert.Equal(Files(Path.Combine(run.Native, "checkpoints")), Files(Path.Combine(run.Torch, "checkpoints")));

        // The engine's own reader takes the worker's adapter.
        using var model = PretrainedModel.Load(run.Directory.File("small-r1"), ComputeOptions.Cpu());
        var settings = PeftAdapter.Apply(model, Path.Combine(run.Torch, "adapter"));
        Assert.Equal((8, 2.0), (settings.Rank, settings.Scaling));
    }

    private static IEnumerable<string> Keys(JsonObject json) => json.Select(p => p.Key);

    private static IEnumerable<string> Files(string folder) =>
        System.IO.Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;
}
