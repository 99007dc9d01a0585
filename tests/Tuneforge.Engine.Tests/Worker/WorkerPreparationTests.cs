using System.Text.Json.Nodes;
using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Engine.Tests.Training;
using Tuneforge.Engine.Training;
using Tuneforge.Engine.Training.Batching;
using Tuneforge.Engine.Training.Data;
using Tuneforge.Engine.Training.Loop;
using Tuneforge.Engine.Training.Worker;
using Tuneforge.Pipeline.Spec;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Worker;

/// <summary>prepare-train's files, read back with the engine's own safetensors reader (no Python).</summary>
public sealed class WorkerPreparationTests
{
    [Fact]
    public void Two_ranks_are_dealt_the_rows_of_the_native_plan_at_twice_the_batch_with_empty_batches_where_one_runs_short()
    {
        var examples = TrainingFixtures.Examples(9, seed: 3);
        var spec = TrainingFixtures.Spec(batch: 2, accumulation: 2, maxSteps: 3) with { GroupByLength = true };
        var plan = WorkerPlan.Create(examples, examples.Take(5).ToList(), spec, worldSize: 2);
        var native = TrainingPlan.Create(examples, spec with { PerDeviceTrainBatchSize = 4 });
        Assert.Equal(native.Steps.Select(s => s.MicroBatches.Count), plan.Global.Steps.Select(s => s.MicroBatches.Count));
        var ranks = new[] { plan.TrainBatches(0).ToList(), plan.TrainBatches(1).ToList() };
        Assert.Equal(ranks[0].Select(b => (b.Step, b.MicroBatch)), ranks[1].Select(b => (b.Step, b.MicroBatch)));
        for (var i = 0; i < ranks[0].Count; i++)
        {
            var (step, micro) = (ranks[0][i].Step, ranks[0][i].MicroBatch);
            var rows = native.Step(step).MicroBatches[micro];
            Assert.Equal(rows.Where((_, r) => r % 2 == 0).Select(r => r[0]), ranks[0][i].Rows.Select(r => r[0]));
            Assert.Equal(rows.Where((_, r) => r % 2 == 1).Select(r => r[0]), ranks[1][i].Rows.Select(r => r[0]));
        }
        // 9 examples, micro-batches of 4 rows: the epoch's third holds 1 row, so rank 1 gets an empty placeholder there.
        Assert.Contains(ranks[1], b => b.Rows.Count == 0);
        // 5 validation examples in one batch of 8: rank 0 scores it, rank 1 runs an empty one alongside.
        Assert.Equal(1, plan.EvalBatchesPerRank);
        Assert.Equal([5], plan.EvalBatches(0).Select(b => b.Count));
        Assert.Equal([0], plan.EvalBatches(1).Select(b => b.Count));
    }

    [Fact]
    public async Task Prepare_writes_each_ranks_batches_the_native_learning_rates_and_the_step_calendar()
    {
        using var directory = new TempDirectory();
        WorkerFixtures.WriteSplits(directory.Path);
        var model = WorkerFixtures.SmallR1(directory.Path);
        var job = WorkerFixtures.Job(directory.Path, model, WorkerFixtures.Spec(batch: 2, processes: 2));
        var events = new List<EngineEvent>();
        var result = await WorkerPreparation.RunAsync(job, directory.File("out"), events.Add);
        var folder = directory.File("out/worker");
        Assert.Equal(new PreparedWorker(folder, model, WorldSize: 2, TotalSteps: 4, TrainExamples: 12, ValExamples: 5), result);

        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, WorkerFolder.SettingsFile)))!;
        var steps = settings["steps"]!.AsArray();
        // Linear schedule, 1 warmup step of 4, peak 2e-3: the first update at 0 (as transformers), then down to 1/3.
        double[] rates = [0, 2e-3, 2e-3 * 2 / 3, 2e-3 / 3];
        Assert.Equal(rates.Length, steps.Count);
        for (var i = 0; i < rates.Length; i++) Assert.Equal(rates[i], (double)steps[i]!["learning_rate"]!, 12);
        Assert.Equal([false, true, false, true], steps.Select(s => (bool)s!["save"]!));
        Assert.Equal([false, true, false, true], steps.Select(s => (bool)s!["evaluate"]!));
        Assert.All(steps, s => Assert.True((bool)s!["log"]!));
        Assert.Equal(("lora", "float32", 2, 0.01), ((string?)settings["method"], (string?)settings["compute_dtype"], (int)settings["distributed"]!["world_size"]!, (double)settings["optimizer"]!["weight_decay"]!));
        Assert.Equal(2.0, (double)settings["lora"]!["scaling"]!);

        // The ranks' batch files hold every token of each step once, and their loss positions add up to its denominator.
        using var rank0 = SafeTensorsReader.Open(Path.Combine(folder, WorkerFolder.TrainBatches(0)));
        using var rank1 = SafeTensorsReader.Open(Path.Combine(folder, WorkerFolder.TrainBatches(1)));
        long[] Column(SafeTensorsReader reader, int column)
        {
            using var index = reader.Read("index");
            return Enumerable.Range(0, (int)index.shape[0]).Select(i => index[i, column].item<long>()).ToArray();
        }
        var tokens = WorkerBatchFile.Columns.ToList().IndexOf("tokens");
        var losses = WorkerBatchFile.Columns.ToList().IndexOf("loss_count");
        var stepColumn = WorkerBatchFile.Columns.ToList().IndexOf("step");
        for (var s = 1; s <= 4; s++)
        {
            long Sum(SafeTensorsReader reader, int column) => Column(reader, column).Where((_, i) => Column(reader, stepColumn)[i] == s).Sum();
            Assert.Equal((long)steps[s - 1]!["tokens"]!, Sum(rank0, tokens) + Sum(rank1, tokens));
            Assert.Equal((long)steps[s - 1]!["loss_tokens"]!, Sum(rank0, losses) + Sum(rank1, losses));
        }
        Assert.Contains(events.OfType<ArtifactEvent>(), a => a.Kind == "worker_inputs" && a.Path == folder);
        Assert.True(File.Exists(directory.File("out/train_args.json")));
    }

    [Fact]
    public async Task The_step_zero_adapter_is_the_native_engines_own_initialization_and_a_presets_base_its_weights()
    {
        using var directory = new TempDirectory();
        WorkerFixtures.WriteSplits(directory.Path);
        var spec = WorkerFixtures.Spec(batch: 2, processes: 1) with { Lora = new LoraSpec { R = 4, LoraAlpha = 8, TargetModules = ["q_proj", "v_proj", "up_proj"] }, Seed = 7 };
        var job = WorkerFixtures.Job(directory.Path, "preset:tiny-r1", spec) with { Model = new ModelSpec { Source = "preset:tiny-r1", PresetSeed = 3, TorchDtype = TorchDtype.Float32 } };
        var prepared = await WorkerPreparation.RunAsync(job, directory.File("out"), _ => { });
        Assert.Equal(directory.File("out/worker/base"), prepared.BaseModel);
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(prepared.WorkerDirectory, WorkerFolder.SettingsFile)))!;
        Assert.Equal("base", (string?)settings["base_model"]);   // inside the inputs: relative, so the folder moves whole

        var options = TrainOptions.Resolve(spec, job.Model!, CPU);
        var location = await ModelLocation.ResolveAsync("preset:tiny-r1", _ => { });
        using var native = TrainableModel.Create(ModelLoader.Load(location, ComputeOptions.Cpu(), presetSeed: 3), options, spec.Seed);
        var initial = TrainingFixtures.ReadTensors(Path.Combine(new TrainOutputs(directory.File("out")).WorkerDirectory, WorkerFolder.InitialAdapter, TrainOutputs.AdapterWeightsFile));
        Assert.Equal(native.Parameters.Select(p => p.Name).Order(StringComparer.Ordinal), initial.Keys.Order(StringComparer.Ordinal));
        foreach (var parameter in native.Parameters)
            Assert.Equal(parameter.Value.data<float>().ToArray(), initial[parameter.Name]);
        Assert.Contains(initial.Values, v => v.Any(x => x != 0));

        using var written = PretrainedModel.Load(directory.File("out/worker/base"), ComputeOptions.Cpu());
        using var preset = ModelLoader.Load(location, ComputeOptions.Cpu(), presetSeed: 3);
        var presetWeights = preset.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in written.named_parameters())
            Assert.True(parameter.eq(presetWeights[name]).all().item<bool>(), name);
    }

    [Fact]
    public async Task The_native_train_verb_refuses_a_torch_engine_job_and_names_the_verb_that_prepares_it()
    {
        using var directory = new TempDirectory();
        var job = WorkerFixtures.Job(directory.Path, "preset:tiny-r1", WorkerFixtures.Spec(batch: 2, processes: 2));
        var error = await Assert.ThrowsAsync<EngineException>(() => TrainingRun.RunAsync(job, directory.File("out"), _ => { }));
        Assert.Equal("train.engine is torch: this verb is the native engine", error.Message);
        Assert.Contains("tuneforge-engine prepare-train", error.Hint);
        Assert.False(Directory.Exists(directory.File("out")));
    }

    [Fact]
    public void The_workers_version_is_the_one_the_train_key_names()
    {
        var init = File.ReadAllText(Path.Combine(WorkerProcess.PackageDirectory, "tuneforge_worker", "__init__.py"));
        Assert.Contains($"__version__ = \"{TrainStage.WorkerSalt}\"", init);
    }
}
