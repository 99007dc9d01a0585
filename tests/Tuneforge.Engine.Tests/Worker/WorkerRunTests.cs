using System.Diagnostics;
using System.Text.Json;
using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Engine.Tests.Training;
using Tuneforge.Engine.Training.Worker;
using Tuneforge.Pipeline.Spec;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Worker;

[Collection(WorkerCollection.Name)]
public sealed class WorkerRunTests
{
    [WorkerFact]
    public async Task Two_ranks_of_batch_4_train_what_one_rank_of_batch_8_trains_with_packing_and_recomputation()
    {
        using var directory = new TempDirectory();
        WorkerFixtures.WriteSplits(directory.Path);
        var model = WorkerFixtures.SmallR1(directory.Path);
        TrainSpec Spec(int batch, int processes) => WorkerFixtures.Spec(batch, processes) with
        {
            MaxSteps = 3, Packing = true, MaxSeqLength = 64, GroupByLength = true, GradientCheckpointing = true, EvalSteps = 3, SaveSteps = 3,
        };
        var two = await WorkerFixtures.TrainWithWorker(WorkerFixtures.Job(directory.Path, model, Spec(4, 2)), directory.File("two"), processes: 2);
        var one = await WorkerFixtures.TrainWithWorker(WorkerFixtures.Job(directory.Path, model, Spec(8, 1)), directory.File("one"), processes: 1);
        Assert.True(two.ExitCode == 0, two.ToString());
        Assert.True(one.ExitCode == 0, one.ToString());

        Assert.Equal(one.Steps.Select(s => s.Step), two.Steps.Select(s => s.Step));
        // float32 sums of ~12.8 differ in their last bit or so (measured 8e-8 relative).
        Assert.All(one.Steps.Zip(two.Steps), p => Assert.True(Math.Abs(p.First.Loss - p.Second.Loss) < 1e-6 * p.First.Loss, $"loss {p.First.Loss} vs {p.Second.Loss}"));
        var (evalOne, evalTwo) = (one.Events.OfType<EvalEvent>().Single().EvalLoss, two.Events.OfType<EvalEvent>().Single().EvalLoss);
        Assert.True(Math.Abs(evalOne - evalTwo) < 1e-6 * evalOne, $"eval_loss {evalOne} vs {evalTwo}");   // measured 1.8e-7 relative
        // Same worker, same batches: only the all-reduce and each rank's padding differ (measured: 5 of 16,384 weights
        // beyond 1e-5, 33 beyond 1e-6; see WorkerFixtures.Disagreement for why any do).
        var start = WorkerFixtures.InitialAdapter(directory.File("one"));
        var (a, b) = (WorkerFixtures.Adapter(directory.File("one")), WorkerFixtures.Adapter(directory.File("two")));
        Assert.True(WorkerFixtures.Disagreement(a, b, start, 1e-5) < 1e-3, $"{WorkerFixtures.Disagreement(a, b, start, 1e-5):P3} of the weights differ by more than 1e-5");
        Assert.True(WorkerFixtures.Disagreement(a, b, start, 1e-6) < 1e-2, $"{WorkerFixtures.Disagreement(a, b, start, 1e-6):P3} of the weights differ by more than 1e-6");
        using var batches = SafeTensorsReader.Open(Path.Combine(new TrainOutputs(directory.File("two")).WorkerDirectory, WorkerFolder.TrainBatches(1)));
        using var index = batches.Read("index");
        var packed = WorkerBatchFile.Columns.ToList().IndexOf("packed");
        Assert.True(index.select(1, packed).sum().item<long>() > 0, "rows must hold several examples for the check to cover packing");
    }

    [WorkerFact]
    public async Task A_worker_killed_after_a_checkpoint_resumes_from_it_to_the_adapter_of_an_uninterrupted_run()
    {
        using var directory = new TempDirectory();
        WorkerFixtures.WriteSplits(directory.Path);
        var model = WorkerFixtures.SmallR1(directory.Path);
        // Dropout on: the resumed run must also restore the random stream that draws its masks.
        var spec = WorkerFixtures.Spec(batch: 4, processes: 1) with { Lora = new LoraSpec { R = 8, LoraAlpha = 16, LoraDropout = 0.1, TargetModules = ["q_proj", "v_proj", "down_proj"] } };
        var job = WorkerFixtures.Job(directory.Path, model, spec);
        var whole = await WorkerFixtures.TrainWithWorker(job, directory.File("whole"), processes: 1);
        Assert.True(whole.ExitCode == 0, whole.ToString());

        var killed = await WorkerFixtures.TrainWithWorker(job, directory.File("killed"), processes: 1, (process, line) =>
        {
            if (EventSerializer.TryParse(line) is CheckpointEvent { Step: 2 }) process.Kill(entireProcessTree: true);
        });
        Assert.NotEqual(0, killed.ExitCode);
        Assert.False(Directory.Exists(directory.File("killed/adapter")));
        var resumed = WorkerProcess.Run(directory.File("killed"), processes: 1);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains(resumed.Events.OfType<LogEvent>(), l => l.Message == "resuming from checkpoint-2 (step 2 of 4)");
        Assert.Equal([3, 4], resumed.Steps.Select(s => s.Step));
        Assert.Equal(2, (int)resumed.Result!.Data["resumed_from_step"]!);
        var difference = TrainingFixtures.MaxDifference(WorkerFixtures.Adapter(directory.File("whole")), WorkerFixtures.Adapter(directory.File("killed")));
        Assert.True(difference < 1e-6, $"max |whole − resumed| = {difference:E2}");
        Assert.Equal(whole.Steps.Last().Loss, resumed.Steps.Last().Loss, 6);
    }

    [WorkerFact]
    public async Task A_full_fine_tune_trains_every_weight_as_the_native_engine_does()
    {
        using var directory = new TempDirectory();
        WorkerFixtures.WriteSplits(directory.Path);
        var model = WorkerFixtures.SmallR1(directory.Path);
        var spec = WorkerFixtures.Spec(batch: 4, processes: 1) with { Method = TrainMethod.Full, LearningRate = 1e-4, MaxSteps = 2, EvalSteps = 2, SaveSteps = 2 };
        var native = new List<EngineEvent>();
        await WorkerFixtures.TrainNatively(WorkerFixtures.Job(directory.Path, model, spec), directory.File("native"), native);
        var run = await WorkerFixtures.TrainWithWorker(WorkerFixtures.Job(directory.Path, model, spec), directory.File("torch"), processes: 1);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.All(native.OfType<StepEvent>().Zip(run.Steps), p => Assert.True(Math.Abs(p.First.Loss - p.Second.Loss) < 1e-5, $"loss {p.First.Loss} vs {p.Second.Loss}"));
        var torchModel = TrainingFixtures.ReadTensors(directory.File("torch/model/model.safetensors"));
        var nativeModel = TrainingFixtures.ReadTensors(directory.File("native/model/model.safetensors"));
        var start = TrainingFixtures.ReadTensors(Path.Combine(model, "model.safetensors"));
        Assert.True(WorkerFixtures.Disagreement(nativeModel, torchModel, start) < 1e-3, $"{WorkerFixtures.Disagreement(nativeModel, torchModel, start):P3} of the weights differ by more than 1e-5");
        Assert.True(File.Exists(directory.File("torch/model/tokenizer.json")));
        Assert.Equal(File.ReadAllText(directory.File("native/model/chat_template.jinja")), File.ReadAllText(directory.File("torch/model/chat_template.jinja")));
        Assert.Equal(TokenizerConfigTemplate(directory.File("native/model")), TokenizerConfigTemplate(directory.File("torch/model")));
        Assert.Equal("float32", ModelConfig.Load(directory.File("torch/model/config.json")).TorchDtype);
    }

    [WorkerFact]
    public async Task A_rank_that_dies_fails_the_run_with_a_non_zero_exit_and_no_adapter()
    {
        using var directory = new TempDirectory();
        WorkerFixtures.WriteSplits(directory.Path);
        // bf16 too: gloo cannot broadcast bfloat16, so this also proves DDP leaves the frozen bf16 base alone.
        var job = WorkerFixtures.Job(directory.Path, WorkerFixtures.SmallR1(directory.Path), WorkerFixtures.Spec(batch: 2, processes: 2) with { MaxSteps = 200, SaveSteps = 1000, EvalSteps = 1000, Bf16 = true });
        var clock = Stopwatch.StartNew();
        TimeSpan? killedAt = null;
        var run = await WorkerFixtures.TrainWithWorker(job, directory.File("out"), processes: 2, (process, line) =>
        {
            if (killedAt is null && EventSerializer.TryParse(line) is StepEvent)
            {
                Process.GetProcessById(RankProcess(directory.File("out"), rank: 1)).Kill();
                killedAt = clock.Elapsed;
            }
        });
        Assert.NotNull(killedAt);
        Assert.NotEqual(0, run.ExitCode);
        Assert.True(clock.Elapsed - killedAt < TimeSpan.FromSeconds(60), $"torchrun took {clock.Elapsed - killedAt} to notice");
        Assert.Null(run.Result);
        Assert.True(run.Steps.Count() < 200);
        Assert.False(Directory.Exists(directory.File("out/adapter")));
        Assert.Contains("ChildFailedError", run.Stderr);
    }

    [WorkerFact]
    public async Task Inputs_prepared_for_two_ranks_refuse_to_train_on_one_with_a_clear_error()
    {
        using var directory = new TempDirectory();
        WorkerFixtures.WriteSplits(directory.Path);
        var job = WorkerFixtures.Job(directory.Path, WorkerFixtures.SmallR1(directory.Path), WorkerFixtures.Spec(batch: 2, processes: 2));
        var run = await WorkerFixtures.TrainWithWorker(job, directory.File("out"), processes: 1);
        Assert.Equal(1, run.ExitCode);
        var error = Assert.Single(run.Events.OfType<ErrorEvent>());
        Assert.Equal("the worker's inputs were prepared for 2 process(es), but torchrun started 1", error.Message);
        Assert.Equal("inputs", error.Code);
    }

    [WorkerFact]
    public async Task Fsdp2_on_a_torch_without_fully_shard_is_a_clear_error_not_a_crash()
    {
        using var directory = new TempDirectory();
        WorkerFixtures.WriteSplits(directory.Path);
        var spec = WorkerFixtures.Spec(batch: 2, processes: 1) with { MaxSteps = 1, Distributed = new DistributedSpec { Strategy = DistributedStrategy.Fsdp2, Backend = DistributedBackend.Gloo } };
        var run = await WorkerFixtures.TrainWithWorker(WorkerFixtures.Job(directory.Path, WorkerFixtures.SmallR1(directory.Path), spec), directory.File("out"), processes: 1);
        if (run.ExitCode == 0)
        {
            Assert.Equal("fsdp2", (string?)run.Result!.Data["strategy"]);   // a torch >= 2.4 runs it
            return;
        }
        Assert.Equal(1, run.ExitCode);
        var error = Assert.Single(run.Events.OfType<ErrorEvent>());
        Assert.Equal("strategy", error.Code);
        Assert.StartsWith("strategy fsdp2 needs torch >= 2.4 (fully_shard); this torch is ", error.Message);
        Assert.Equal("Install a current torch on the nodes, or use strategy: ddp.", error.Hint);
    }

    [WorkerFact]
    public void The_workers_python_unit_tests_pass()
    {
        var (code, output) = WorkerProcess.UnitTests();
        Assert.True(code == 0, output);
        Assert.Contains("OK", output);
    }

    [WorkerFact]
    public void The_workers_decoder_computes_the_engines_logits_for_every_architecture_and_adapter()
    {
        using var directory = new TempDirectory();
        long[][] inputs = [[5, 17, 42, 8, 91, 3, 64, 22, 7, 50], [12, 77, 4, 4, 60, 2, 19, 88, 30, 11]];
        File.WriteAllText(directory.File("request.json"), JsonSerializer.Serialize(new Dictionary<string, object> { ["input_ids"] = inputs }));
        foreach (var (name, config, rslora) in new[] { ("qwen2", TinyModels.Qwen2(), false), ("qwen3", TinyModels.Qwen3(), true), ("llama3", TinyModels.Llama3(), false) })
        {
            var folder = directory.File(name);
            var settings = new LoraSettings(4, 8, 0, LoraTargets.Resolve(["all-linear"]), rslora);
            float[] ours;
            using (var model = TinyModels.Random(config, seed: 9))
            {
                PretrainedModel.Save(model, folder);
                LoraInjector.Apply(model, settings, null, seed: 1);
                using (no_grad())
                using (var generator = new Generator(2))
                    foreach (var (_, layer) in LoraInjector.Find(model)) layer.B.normal_(0, 0.5, generator);
                model.eval();
                ours = TrainingFixtures.Logits(model, inputs);
                PeftAdapter.Save(model, settings, new AdapterOrigin(folder), folder + "-adapter");
            }
            var worker = WorkerLogits(folder, folder + "-adapter", directory);
            Assert.Equal(ours.Length, worker.Length);
            var worst = ours.Zip(worker).Max(p => Math.Abs(p.First - p.Second));
            Assert.True(worst < 1e-4, $"{name}: max |engine − worker| = {worst:E2}");
        }
    }

    private static float[] WorkerLogits(string model, string adapter, TempDirectory directory)
    {
        var start = new ProcessStartInfo(PythonReference.Python ?? "python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "reference", "worker_forward.py"), model, adapter, directory.File("request.json"), directory.File("out.bin") })
            start.ArgumentList.Add(argument);
        start.Environment["PYTHONPATH"] = WorkerProcess.PackageDirectory;
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"worker_forward.py failed ({process.ExitCode}):\n{errors.Result}");
        var bytes = File.ReadAllBytes(directory.File("out.bin"));
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    // The worker process of this run (its --out is the test's own folder) whose environment says RANK=rank.
    private static int RankProcess(string output, int rank) =>
        WorkerProcess.Ranks(output).Where(r => r.Rank == rank).Select(r => r.Pid).DefaultIfEmpty(-1).First() is var pid and > 0
            ? pid : throw new InvalidOperationException($"no worker process with RANK={rank} for {output}");

    private static string? TokenizerConfigTemplate(string folder) =>
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "tokenizer_config.json")))!["chat_template"]?.GetValue<string>();
}
