using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Checkpoints;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Models;
using Tuneforge.Engine.Pretraining;
using Tuneforge.Engine.Presets;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Pipeline.Spec;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests.Pretraining;

/// <summary>The pretrain verb end to end: a narrow model with DeepSeek-R1's real vocabulary and tokenizer on a small
/// Chinese/English corpus, so the numbers are those of the real path at a test's cost.</summary>
public sealed class PretrainingRunTests
{
    // Hidden 16, one layer: the 129,280-row embedding is 2M parameters and a checkpoint ~25 MB.
    private static readonly ModelConfig Narrow = ModelPresets.TinyR1.Config with
    {
        HiddenSize = 16, IntermediateSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 2, NumKeyValueHeads = 1, HeadDim = 8,
    };

    private static string Model(TempDirectory directory)
    {
        var folder = directory.File("narrow");
        using var model = new CausalLM(Narrow, CPU, ScalarType.Float32);
        ParameterInitializer.Initialize(model, seed: 3);
        PretrainedModel.Save(model, folder);
        foreach (var file in PresetWriter.TokenizerFiles)
            File.Copy(Path.Combine(TokenizerLocator.Find("deepseek-r1"), file), Path.Combine(folder, file));
        return folder;
    }

    private static EngineJob Job(TempDirectory directory, int maxSteps = 3, int saveSteps = 1000)
    {
        var lines = Enumerable.Range(0, 40).Select(i => JsonSerializer.Serialize(new
        {
            text = i % 3 == 0 ? $"Document {i}: the package manager installs, upgrades and removes software ({i * 17})."
                : $"第 {i} 篇：软件包管理器负责安装、升级和删除软件，编号 {i * 17}。",
        }));
        File.WriteAllLines(directory.File("corpus.jsonl"), lines);
        return new EngineJob
        {
            Verb = "pretrain",
            Model = new ModelSpec { Source = Model(directory), TorchDtype = TorchDtype.Float32 },
            Pretrain = new PretrainSpec
            {
                Sources = [new CorpusSourceSpec { Path = directory.File("corpus.jsonl"), Format = CorpusFormat.Jsonl, Name = "test", Language = "zh" }],
                SeqLength = 32,
                MinChars = 8,
                HeldoutShare = 0.1,
                Train = new TrainSpec
                {
                    Method = TrainMethod.Full, MaxSteps = maxSteps, PerDeviceTrainBatchSize = 2, LearningRate = 5e-3, LrSchedulerType = SchedulerType.Cosine,
                    WarmupSteps = 1, LoggingSteps = 1, EvalStrategy = EvalStrategy.Steps, EvalSteps = 2, SaveSteps = saveSteps, SaveTotalLimit = 2, Seed = 11,
                },
            },
            RepositoryRoot = directory.Path,
        };
    }

    [Fact]
    public async Task The_first_losses_of_a_tiny_seeded_pretraining_run_are_pinned()
    {
        using var directory = new TempDirectory();
        var events = new List<EngineEvent>();
        var result = await PretrainingRun.RunAsync(Job(directory), directory.File("out"), events.Add);

        // A change of numerics (packing, tokenizer, model, optimizer, schedule) moves these; update them only on purpose.
        double[] golden = [11.765022, 11.767498, 11.695069];   // step 1 runs at warmup's learning rate 0; unseen tokens' rows stay put
        var losses = events.OfType<StepEvent>().Select(s => s.Loss).ToArray();
        Assert.Equal(golden.Length, losses.Length);
        for (var i = 0; i < golden.Length; i++) Assert.Equal(golden[i], losses[i], 4);
        Assert.Equal(Math.Log(129_280), losses[0], 1);                                       // an untrained model starts uniform
        // Every token after each row's BOS is trained: 3 steps x 2 rows leave 6 tokens untrained.
        Assert.Equal(result.TokensSeen - 6, result.TrainedTokensSeen);
        // The loss is reported to 6 decimals, so near perplexity 10^5 the two agree to a relative 10^-6, not to 2 decimals.
        Assert.Equal(1.0, result.HeldoutPerplexity!.Value / Math.Exp(result.HeldoutLoss!.Value), 6);
        Assert.Equal([2, 3], events.OfType<EvalEvent>().Select(e => e.Step));
        Assert.True(File.Exists(directory.File("out/model/model.safetensors")));
        Assert.True(File.Exists(directory.File("out/model/tokenizer.json")));
    }

    [Fact]
    public async Task Tokens_the_training_text_never_holds_keep_their_initial_embedding_rows()
    {
        using var directory = new TempDirectory();
        var job = Job(directory, maxSteps: 6);
        await PretrainingRun.RunAsync(job, directory.File("out"), _ => { });

        using var before = SafeTensorsReader.Open(Path.Combine(job.Model!.Source, "model.safetensors"));
        using var after = SafeTensorsReader.Open(directory.File("out/model/model.safetensors"));
        using var initial = before.Read("model.embed_tokens.weight");
        using var trained = after.Read("model.embed_tokens.weight");
        using var unchanged = initial.eq(trained).all(dim: 1);
        var tokenizer = Tuneforge.Text.HfTokenizer.Load(job.Model.Source);
        // With the rows free, Adam moved all 129k of them a learning-rate-sized step along one shared direction.
        Assert.All(tokenizer.Encode("发票物流退货"), id => Assert.True(unchanged[id].item<bool>(), $"unseen token {id} moved"));
        Assert.All(tokenizer.Encode("软件包管理器"), id => Assert.False(unchanged[id].item<bool>(), $"trained token {id} kept its row"));
        var frozen = JsonNode.Parse(File.ReadAllText(directory.File("out/pretrain_args.json")))!["resolved"]!["frozen_token_rows"]!.GetValue<long>();
        Assert.Equal(frozen, unchanged.sum().item<long>());
        Assert.InRange(frozen, 129_000, 129_279);
    }

    [Fact]
    public async Task Save_torch_dtype_writes_a_float32_run_in_bfloat16()
    {
        using var directory = new TempDirectory();
        var job = Job(directory, maxSteps: 1);
        job = job with { Pretrain = job.Pretrain! with { SaveTorchDtype = TorchDtype.Bfloat16 } };
        await PretrainingRun.RunAsync(job, directory.File("out"), _ => { });

        var config = JsonNode.Parse(File.ReadAllText(directory.File("out/model/config.json")))!;
        Assert.Equal("bfloat16", config["torch_dtype"]!.GetValue<string>());
        Assert.All(SafeTensorsHeader.Read(directory.File("out/model/model.safetensors")).Entries.Values, e => Assert.Equal("BF16", e.DTypeName));
    }

    [Fact]
    public async Task A_run_stopped_midway_resumes_from_its_checkpoint_to_the_same_weights_and_losses()
    {
        using var directory = new TempDirectory();
        var job = Job(directory, maxSteps: 4, saveSteps: 2);
        var whole = new List<EngineEvent>();
        await PretrainingRun.RunAsync(job, directory.File("whole"), whole.Add);

        using (var stop = new CancellationTokenSource())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PretrainingRun.RunAsync(job, directory.File("stopped"),
                e => { if (e is StepEvent { Step: 3 }) stop.Cancel(); }, stop.Token));
        }
        var resumed = new List<EngineEvent>();
        var result = await PretrainingRun.RunAsync(job, directory.File("stopped"), resumed.Add);

        Assert.Equal(2, result.ResumedFromStep);
        Assert.Equal([3, 4], resumed.OfType<StepEvent>().Select(s => s.Step));
        Assert.Equal(whole.OfType<StepEvent>().Skip(2).Select(s => s.Loss), resumed.OfType<StepEvent>().Select(s => s.Loss));
        Assert.Equal(File.ReadAllBytes(directory.File("whole/model/model.safetensors")), File.ReadAllBytes(directory.File("stopped/model/model.safetensors")));
    }

    [Fact]
    public async Task A_run_stopped_after_a_step_keeps_the_whole_schedule_and_a_later_run_finishes_it_to_the_same_weights()
    {
        using var directory = new TempDirectory();
        var job = Job(directory, maxSteps: 4, saveSteps: 2);
        await PretrainingRun.RunAsync(job, directory.File("whole"), _ => { });

        var stopped = await PretrainingRun.RunAsync(job, directory.File("parts"), _ => { }, stopAfterStep: 3);
        Assert.Equal((3, 4), (stopped.GlobalStep, stopped.TotalSteps));
        Assert.NotNull(stopped.HeldoutLoss);                                                    // measured on the weights written
        Assert.True(File.Exists(directory.File("parts/model/model.safetensors")));
        var finished = await PretrainingRun.RunAsync(job, directory.File("parts"), _ => { });
        Assert.Equal(3, finished.ResumedFromStep);
        Assert.Equal(File.ReadAllBytes(directory.File("whole/model/model.safetensors")), File.ReadAllBytes(directory.File("parts/model/model.safetensors")));
    }

    [Fact]
    public async Task A_job_that_asks_for_lora_is_refused_with_what_to_set()
    {
        using var directory = new TempDirectory();
        var job = Job(directory);
        job = job with { Pretrain = job.Pretrain! with { Train = job.Pretrain.Train with { Method = TrainMethod.Lora } } };
        var error = await Assert.ThrowsAsync<EngineException>(() => PretrainingRun.RunAsync(job, directory.File("out"), _ => { }));
        Assert.Equal("pretrain.train.method is lora; pretraining trains every weight", error.Message);
        Assert.Equal("Set pretrain.train.method to full.", error.Hint);
    }

    [Fact]
    public void A_token_budget_is_whole_steps_of_batch_accumulation_and_sequence_length()
    {
        Assert.Equal(196, PretrainingSequences.StepsFor(800_000, batch: 8, accumulation: 1, seqLength: 512));
        Assert.Equal(1, PretrainingSequences.StepsFor(1, 8, 2, 512));
        Assert.Equal([0, 2, 5, 7], PretrainingSequences.Spread([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4));
    }
}
