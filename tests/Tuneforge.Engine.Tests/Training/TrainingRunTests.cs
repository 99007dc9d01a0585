using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Cli;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Lora;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Presets;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Engine.Training;
using Tuneforge.Pipeline.Spec;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Training;

/// <summary>The train verb end to end on preset:tiny-r1 with the DeepSeek-R1 tokenizer and template.</summary>
public sealed class TrainingRunTests
{
    private static readonly string[] Records =
    [
        Record("a", "可以开发票吗？", "可以，订单完成后30天内在订单详情里申请电子发票。"),
        Record("b", "退货运费谁出？", "质量问题由我们承担运费，七天无理由退货由买家承担。"),
        Record("c", "How long does a refund take?", "Refunds reach the original payment method within 3 to 5 working days."),
        Record("d", "Can I change my address?", "Yes, before the parcel ships: open the order and edit the address."),
    ];

    private static string Record(string id, string question, string answer) => JsonSerializer.Serialize(new
    {
        id,
        category = "support",
        messages = new[] { new { role = "user", content = question }, new { role = "assistant", content = answer } },
    });

    private static EngineJob Job(TempDirectory directory, TrainSpec train, string source = "preset:tiny-r1")
    {
        File.WriteAllLines(directory.File("train.jsonl"), Records);
        File.WriteAllLines(directory.File("val.jsonl"), Records.Take(2));
        return new EngineJob
        {
            Verb = "train",
            Model = new ModelSpec { Source = source, ChatTemplate = "deepseek-r1" },   // what pipelines/default.yaml names
            Train = train,
            Inputs = { ["train"] = directory.File("train.jsonl"), ["val"] = directory.File("val.jsonl") },
        };
    }

    private static TrainSpec GoldenSpec => new()
    {
        MaxSteps = 3,
        PerDeviceTrainBatchSize = 2,
        LearningRate = 2e-3,
        LrSchedulerType = SchedulerType.Constant,
        LoggingSteps = 1,
        EvalSteps = 3,
        SaveSteps = 3,
        Seed = 42,
        GroupByLength = false,
    };

    [Fact]
    public async Task The_first_losses_of_tiny_r1_are_pinned()
    {
        using var directory = new TempDirectory();
        var events = new List<EngineEvent>();
        var result = StageResult.ToEvent("train", await TrainingRun.RunAsync(Job(directory, GoldenSpec), directory.File("out"), events.Add)).Data;   // as the build reads it

        // A change of numerics (model, template, tokenizer, masking, LoRA init, optimizer) moves these; update them only on purpose.
        double[] golden = [11.848568, 11.699952, 11.439529];
        var losses = events.OfType<StepEvent>().Select(s => s.Loss).ToArray();
        Assert.Equal(golden.Length, losses.Length);
        for (var i = 0; i < golden.Length; i++) Assert.Equal(golden[i], losses[i], 4);
        Assert.True(losses[2] < losses[0], "three steps at lr 2e-3 should lower the loss");
        Assert.Equal(11.77, Math.Log(129_280), 2);   // where an untrained 129k-vocabulary model starts
    }

    [Fact]
    public async Task A_run_writes_the_adapter_trainer_state_and_train_args_and_the_adapter_loads_back()
    {
        using var directory = new TempDirectory();
        var output = directory.File("out");
        var result = StageResult.ToEvent("train", await TrainingRun.RunAsync(Job(directory, GoldenSpec with { MaxSteps = 2, SaveSteps = 1, SaveTotalLimit = 1 }), output, _ => { })).Data;   // as the build reads it
        Assert.Equal("adapter", (string?)result["weights"]);
        Assert.Equal(2, (int)result["global_step"]!);
        Assert.Equal(4, (int)result["train_examples"]!);
        Assert.Equal(0, (int)result["truncated_examples"]!);
        Assert.True((double)result["eval_loss"]! > 0);
        Assert.True((long)result["peak_rss_bytes"]! > 0);

        var args = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "train_args.json")))!;
        Assert.Equal("tuneforge-train/3", (string?)args["engine_version"]);
        Assert.Equal(["k_proj", "o_proj", "q_proj", "v_proj"], args["resolved"]!["lora_target_modules"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(2.0, (double)args["resolved"]!["lora_scaling"]!);
        var state = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "trainer_state.json")))!;
        Assert.Equal(2, (int)state["global_step"]!);
        Assert.Equal([1, 2], state["log_history"]!.AsArray().Where(e => e!["loss"] is not null).Select(e => (int)e!["step"]!));
        Assert.Equal([2], Directory.GetDirectories(Path.Combine(output, "checkpoints")).Select(d => int.Parse(Path.GetFileName(d)["checkpoint-".Length..])));

        using var model = ModelLoader.Load(await ModelLocation.ResolveAsync("preset:tiny-r1", _ => { }), ComputeOptions.Cpu());
        var settings = PeftAdapter.Apply(model, Path.Combine(output, "adapter"));
        Assert.Equal(16, settings.Rank);
        Assert.Contains(PeftAdapter.Tensors(model, settings).Values, t => t.abs().max().item<float>() > 0);
    }

    [Fact]
    public async Task The_adapter_stores_the_chat_template_whose_rendering_gives_the_training_tokens()
    {
        using var directory = new TempDirectory();
        var output = directory.File("out");
        var job = Job(directory, GoldenSpec with { MaxSteps = 1, EvalStrategy = EvalStrategy.No });
        await TrainingRun.RunAsync(job, output, _ => { });

        var stored = Tuneforge.Text.ChatTemplateText.Read(Path.Combine(output, "adapter"));
        Assert.NotNull(stored);
        var tokenizer = Tuneforge.Text.HfTokenizer.Load(TokenizerLocator.Find("deepseek-r1"));
        var asStored = new Tuneforge.Text.JinjaChatTemplate(stored, "adapter/chat_template.jinja", tokenizer.BosToken, tokenizer.EosToken);
        var chat = Tuneforge.Data.Training.ChatSetup.From(job.Model!, tokenizer);
        foreach (var record in Tuneforge.Engine.Training.Data.TrainingRecordReader.Read(job.Inputs["train"]))
        {
            var trained = chat.Template.RenderTraining(chat.WithSystemPrompt(record.Messages), tokenizer, chat.Options);
            var rendered = asStored.RenderTraining(record.Messages, tokenizer);
            Assert.Equal(trained.InputIds, rendered.InputIds);
            Assert.Equal(trained.LossMask, rendered.LossMask);
        }
        Assert.Equal(stored, Tuneforge.Text.ChatTemplateText.Of(Tuneforge.Text.ChatTemplates.Get("deepseek-r1")));
    }

    [Fact]
    public async Task The_cli_train_verb_reads_the_job_and_reports_steps_and_a_result()
    {
        using var directory = new TempDirectory();
        var job = Job(directory, GoldenSpec with { MaxSteps = 1 });
        File.WriteAllText(directory.File("job.json"), job.ToJson());
        var output = new StringWriter();
        var code = await EngineCli.RunAsync(["train", "--job", directory.File("job.json"), "--out", directory.File("out")], output, new StringWriter());
        var events = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => EventSerializer.TryParse(l)!).ToList();
        Assert.True(code == 0, output.ToString());
        Assert.Equal(1, Assert.Single(events.OfType<StepEvent>()).Step);
        Assert.Single(events.OfType<EvalEvent>());
        Assert.Single(events.OfType<CheckpointEvent>());
        Assert.Equal("train", Assert.Single(events.OfType<ResultEvent>()).Verb);
        Assert.Contains(events.OfType<ArtifactEvent>(), a => a.Kind == "adapter" && Directory.Exists(a.Path));

        File.WriteAllText(directory.File("bad.json"), (job with { Inputs = new() { ["val"] = directory.File("val.jsonl") } }).ToJson());
        output = new StringWriter();
        code = await EngineCli.RunAsync(["train", "--job", directory.File("bad.json"), "--out", directory.File("out2")], output, new StringWriter());
        Assert.Equal(1, code);
        var error = Assert.IsType<ErrorEvent>(EventSerializer.TryParse(output.ToString().Trim().Split('\n')[^1]));
        Assert.Equal("The train job has no 'train' input (it has: val).", error.Message);
    }

    // A model with the R1 vocabulary but hidden size 32, saved as a Hugging Face folder with the tokenizer.
    private static string SmallR1Folder(TempDirectory directory)
    {
        var folder = directory.File("small-r1");
        var config = ModelPresets.TinyR1.Config with { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 2, NumKeyValueHeads = 1, HeadDim = 16 };
        using (var model = new CausalLM(config, CPU, ScalarType.Float32))
        {
            ParameterInitializer.Initialize(model, 3);
            PretrainedModel.Save(model, folder, ScalarType.BFloat16);
        }
        foreach (var file in Directory.GetFiles(TokenizerLocator.Find("deepseek-r1"))) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        return folder;
    }

    [Fact]
    public async Task Qlora_trains_adapters_on_an_nf4_base_read_from_a_folder()
    {
        using var directory = new TempDirectory();
        var folder = SmallR1Folder(directory);
        var spec = GoldenSpec with { Method = TrainMethod.Qlora, MaxSteps = 4, LearningRate = 1e-2, Lora = new LoraSpec { TargetModules = ["all-linear"] } };
        var qlora = new List<StepEvent>();
        var result = StageResult.ToEvent("train", await TrainingRun.RunAsync(Job(directory, spec, folder), directory.File("qlora"), e => { if (e is StepEvent s) qlora.Add(s); })).Data;   // as the build reads it
        var lora = new List<StepEvent>();
        await TrainingRun.RunAsync(Job(directory, spec with { Method = TrainMethod.Lora }), directory.File("lora"), e => { if (e is StepEvent s) lora.Add(s); });

        Assert.Equal("qlora", (string?)result["method"]);
        Assert.True(qlora[^1].Loss < qlora[0].Loss, string.Join(", ", qlora.Select(s => s.Loss)));
        Assert.NotEqual(qlora[0].Loss, lora[0].Loss);   // the 4-bit base computes a slightly different first loss ...
        Assert.Equal(qlora[0].Loss, lora[0].Loss, 0);   // ... of the same model
        var adapter = SafeTensorsHeader.Read(directory.File("qlora/adapter/adapter_model.safetensors"));
        Assert.Equal(2 * 7 * 2, adapter.Entries.Count);
        Assert.Equal(folder, JsonNode.Parse(File.ReadAllText(directory.File("qlora/adapter/adapter_config.json")))!["base_model_name_or_path"]!.GetValue<string>());
    }

    [Fact]
    public async Task Full_fine_tuning_in_bfloat16_writes_a_model_folder_that_loads()
    {
        using var directory = new TempDirectory();
        var folder = SmallR1Folder(directory);
        var spec = GoldenSpec with { Method = TrainMethod.Full, Bf16 = true, MaxSteps = 3, LearningRate = 1e-3 };
        var steps = new List<StepEvent>();
        var result = StageResult.ToEvent("train", await TrainingRun.RunAsync(Job(directory, spec, folder), directory.File("out"), e => { if (e is StepEvent s) steps.Add(s); })).Data;   // as the build reads it
        Assert.Equal("model", (string?)result["weights"]);
        Assert.Equal("bfloat16", (string?)result["compute_dtype"]);
        Assert.Equal((long)result["total_parameters"]!, (long)result["trainable_parameters"]!);
        Assert.True(steps[^1].Loss < steps[0].Loss);

        using var tuned = PretrainedModel.Load(directory.File("out/model"), ComputeOptions.Cpu());
        using var original = PretrainedModel.Load(folder, ComputeOptions.Cpu());
        Assert.Equal("bfloat16", tuned.Config.TorchDtype);   // saved as the base was stored
        var changed = tuned.named_parameters().Zip(original.named_parameters()).Count(p => !p.First.parameter.equal(p.Second.parameter).all().item<bool>());
        Assert.Equal(original.named_parameters().Count(), changed);
        Assert.True(File.Exists(directory.File("out/model/tokenizer.json")));
        var checkpoint = SafeTensorsHeader.Read(directory.File("out/checkpoints/checkpoint-3/model.safetensors"));
        Assert.All(checkpoint.Entries.Values, e => Assert.Equal("F32", e.DTypeName));   // masters are float32
    }
}
