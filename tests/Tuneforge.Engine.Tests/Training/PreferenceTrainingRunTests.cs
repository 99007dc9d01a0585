using System.Text.Json;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Engine.Training;
using Tuneforge.Engine.Training.Preference;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Engine.Tests.Training;

/// <summary>The preference-train verb on preset:tiny-r1: DPO on pairs from a fresh adapter or from Train's, scored on
/// held-out pairs before and after, the adapter written where Train writes it.</summary>
public sealed class PreferenceTrainingRunTests
{
    private const string Good = "七天内可以无理由退货，运费由我们承担。";
    private const string Bad = "不行。";

    private static string Pair(string id, string question, bool preference = true) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["id"] = id,
        ["category"] = "售后",
        ["messages"] = new[] { new { role = "user", content = question }, new { role = "assistant", content = Good } },
        ["rejected"] = preference ? Bad : null!,
    }.Where(p => p.Value is not null).ToDictionary());

    private static readonly ModelSpec Model = new() { Source = "preset:tiny-r1", ChatTemplate = "deepseek-r1", TorchDtype = TorchDtype.Float32, NumThreads = 2 };

    private static TrainSpec Train => new()
    {
        MaxSteps = 8, PerDeviceTrainBatchSize = 4, LearningRate = 5e-3, LrSchedulerType = SchedulerType.Constant, LoggingSteps = 1,
        EvalSteps = 8, SaveSteps = 8, Seed = 42, Lora = new LoraSpec { R = 8, LoraAlpha = 16, TargetModules = ["q_proj", "v_proj"] },
    };

    private static EngineJob Job(TempDirectory directory, PreferenceSpec preference, string? sft = null)
    {
        File.WriteAllLines(directory.File("train.jsonl"), Enumerable.Range(0, 12).Select(i => Pair($"t{i}", $"订单{i}想退货可以吗？")));
        File.WriteAllLines(directory.File("val.jsonl"), Enumerable.Range(0, 6).Select(i => Pair($"v{i}", $"第{i}件商品能退吗？")));
        return PreferenceTrainStage.Job(Model, Train, preference, directory.File("train.jsonl"), directory.File("val.jsonl"),
            sft is null ? null : new TrainOutputs(sft), WorkerProcess.Root);
    }

    [Fact]
    public async Task Dpo_from_a_fresh_adapter_learns_to_prefer_the_chosen_answers_of_unseen_questions()
    {
        using var directory = new TempDirectory();

        var outcome = await PreferenceTrainingRun.RunAsync(Job(directory, new PreferenceSpec { Method = PreferenceMethod.Dpo, StartFrom = PreferenceStart.Base }),
            directory.File("out"), _ => { });

        var result = outcome.Result;
        Assert.Equal(("dpo", "base", 8, 12, 6), (result.Method, result.StartFrom, result.Steps, result.TrainPairs, result.ValPairs));
        Assert.All(outcome.MarginsBefore, m => Assert.Equal(0, m));   // a fresh adapter's B is 0: the policy is the reference
        Assert.Equal(0, result.ValAccuracyBefore);
        Assert.Equal(1, result.ValAccuracyAfter);
        Assert.True(result.ValMarginAfter > 0, $"margin {result.ValMarginAfter}");
        var adapter = new TrainOutputs(directory.File("out")).Weights();
        Assert.True(adapter.IsAdapter);
        Assert.True(File.Exists(Path.Combine(adapter.Directory, "chat_template.jinja")));
    }

    [Fact]
    public async Task Start_from_sft_begins_with_Trains_adapter_and_moves_its_margins_further()
    {
        using var directory = new TempDirectory();
        var preference = new PreferenceSpec { Method = PreferenceMethod.Dpo, StartFrom = PreferenceStart.Sft };
        var job = Job(directory, preference, sft: directory.File("sft"));
        await TrainingRun.RunAsync(TrainStage.Job(Model, Train with { MaxSteps = 4 }, job.Input(TrainStage.TrainInput), job.OptionalInput(TrainStage.ValInput), WorkerProcess.Root),
            directory.File("sft"), _ => { });

        var outcome = await PreferenceTrainingRun.RunAsync(job, directory.File("out"), _ => { });

        Assert.Equal("sft", outcome.Result.StartFrom);
        Assert.All(outcome.MarginsBefore, m => Assert.NotEqual(0, m));   // Train's adapter, not a fresh one
        Assert.True(outcome.Result.ValMarginAfter > outcome.Result.ValMarginBefore, $"{outcome.Result.ValMarginBefore} -> {outcome.Result.ValMarginAfter}");
    }

    [Fact]
    public async Task Kto_on_a_qlora_base_unpairs_the_pairs_and_learns_from_the_labels()
    {
        using var directory = new TempDirectory();
        var job = Job(directory, new PreferenceSpec { Method = PreferenceMethod.Kto, StartFrom = PreferenceStart.Base }) is var j
            ? j with { Train = Train with { Method = TrainMethod.Qlora } }
            : null!;

        var outcome = await PreferenceTrainingRun.RunAsync(job, directory.File("out"), _ => { });

        Assert.Equal(("kto", 12, 24), (outcome.Result.Method, outcome.Result.TrainPairs, outcome.Result.TrainLabelled));
        Assert.True(outcome.Result.ValMarginAfter > 0, $"margin {outcome.Result.ValMarginAfter}");   // the NF4 base with the adapter off is the reference
        Assert.True(new TrainOutputs(directory.File("out")).Weights().IsAdapter);
    }

    [Fact]
    public async Task A_train_split_without_pairs_is_a_clear_error()
    {
        using var directory = new TempDirectory();
        var job = Job(directory, new PreferenceSpec { Method = PreferenceMethod.Dpo, StartFrom = PreferenceStart.Base });
        File.WriteAllLines(job.Input(TrainStage.TrainInput), [Pair("sft-only", "可以退货吗？", preference: false)]);

        var error = await Assert.ThrowsAsync<EngineException>(() => PreferenceTrainingRun.RunAsync(job, directory.File("out"), _ => { }));

        Assert.Equal($"{job.Input(TrainStage.TrainInput)}: no preference pairs among 1 records", error.Message);
    }
}
