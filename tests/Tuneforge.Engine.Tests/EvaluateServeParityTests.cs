using System.Text.Json.Nodes;
using Tuneforge.Engine.Evaluation;
using Tuneforge.Engine.Generation;
using Tuneforge.Engine.Loading;
using Tuneforge.Engine.Presets;
using Tuneforge.Engine.Runtime;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Serve.Generation;
using Tuneforge.Serve.Torch;
using Tuneforge.Text;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Tuneforge.Engine.Tests;

/// <summary>
/// What was evaluated is what is served: Predict (EvaluationRun) and Serve's torch backend stop at the same tokens on a
/// model whose EOS id comes only from its config.json (a token the tokenizer does not call eos).
/// </summary>
public sealed class EvaluateServeParityTests(ITestOutputHelper output)
{
    private const string Question = "How long is shipping?";
    private const int MaxNewTokens = 12;
    private const string Template = "deepseek-r1";   // named, as the default pipeline does: the pinned runs follow its prompt

    // The free runs of the shipped tiny-r1-base (seeded sampling: temperature 0.9, top_p 0.95, top_k 50, seed 42), pinned.
    public static TheoryData<bool, int[]> Settings => new()
    {
        { false, [201, 1718, 37947, 4697, 45791, 4940, 477, 2038, 4689, 294, 270, 1675] },
        { true, [201, 1718, 37947, 4697, 671, 12603, 127067, 768, 1255, 67512, 4181, 16] },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task Evaluate_and_Serve_generate_the_same_tokens_when_the_eos_comes_only_from_config_json(bool sampled, int[] expectedFreeRun)
    {
        using var directory = new TempDirectory();
        var train = Path.Combine(directory.Path, "train");
        var model = new TrainOutputs(train).ModelDirectory;   // Predict answers with a full model: this folder
        // The shipped pretrained tiny base: random weights repeat one token greedily, which would show no stop.
        PresetWriter.Write(ModelPresets.TinyR1Base, 0, model, TokenizerLocator.Find("deepseek-r1"), ScalarType.Float32);
        var evaluate = new EvaluateSpec
        {
            CompareBase = false, Perplexity = false, MaxNewTokens = MaxNewTokens, BatchSize = 1,
            DoSample = sampled, Temperature = 0.9, TopP = 0.95, TopK = 50, RepetitionPenalty = 1.3, Seed = 42,
        };
        var tokenizerEos = HfTokenizer.Load(model).EosId;

        // Free run: the config's eos ids are the tokenizer's; then the config names a token the model does generate.
        SetEos(model, tokenizerEos is int id ? [id] : []);
        var free = await PredictTokensAsync(directory, train, model, evaluate);
        output.WriteLine($"{(sampled ? "sampled" : "greedy")}: free run [{string.Join(", ", free)}]");
        Assert.Equal(expectedFreeRun, free);
        // The last token new where it stands, neither first nor last: generation runs on before it and would after it.
        var stopAt = Enumerable.Range(1, free.Count - 2).Last(i => !free.Take(i).Contains(free[i]) && free[i] != tokenizerEos);
        SetEos(model, [free[stopAt]]);

        var evaluated = await PredictTokensAsync(directory, train, model, evaluate);
        var served = await ServeTokensAsync(model, evaluate);
        output.WriteLine($"  eos_token_id {free[stopAt]} (config.json only)");
        output.WriteLine($"  evaluate: [{string.Join(", ", evaluated)}]");
        output.WriteLine($"  serve:    [{string.Join(", ", served)}]");

        Assert.Equal(free.Take(stopAt + 1), evaluated);
        Assert.Equal(evaluated, served);
    }

    [Fact]
    public async Task Predict_keeps_each_answers_think_block_apart_from_the_answer()
    {
        using var directory = new TempDirectory();
        var train = Path.Combine(directory.Path, "train");
        var model = new TrainOutputs(train).ModelDirectory;
        PresetWriter.Write(ModelPresets.TinyR1Base, 0, model, TokenizerLocator.Find("deepseek-r1"), ScalarType.Float32);
        var evaluate = new EvaluateSpec { CompareBase = false, Perplexity = false, MaxNewTokens = MaxNewTokens, BatchSize = 1 };

        var answer = (await PredictAsync(directory, train, model, evaluate)).Tuned.Answers[0];

        // deepseek-r1's prompt opens <think>; the base closes it at once (its instruction stage answered without
        // reasoning) and answers after it: "</think>" is plain text in this vocabulary, so the split is Predict's.
        var decoded = HfTokenizer.Load(model).Decode(answer.Tokens, skipSpecialTokens: true);
        var close = decoded.IndexOf("</think>", StringComparison.Ordinal);
        Assert.True(close >= 0, decoded);
        Assert.Equal(decoded[..close].Trim('\n'), answer.Reasoning);
        Assert.Equal(decoded[(close + "</think>".Length)..].Trim(), answer.Text);
        Assert.False(string.IsNullOrWhiteSpace(answer.Text));
    }

    // Writes config.json's eos_token_id and drops generation_config.json's, so the config is the only source.
    private static void SetEos(string model, int[] ids)
    {
        var configPath = Path.Combine(model, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        config["eos_token_id"] = new JsonArray(ids.Select(i => (JsonNode)i).ToArray());
        File.WriteAllText(configPath, config.ToJsonString());
        var generationPath = Path.Combine(model, GenerationConfigFile.FileName);
        var generation = JsonNode.Parse(File.ReadAllText(generationPath))!.AsObject();
        generation.Remove("eos_token_id");
        File.WriteAllText(generationPath, generation.ToJsonString());
    }

    private static async Task<IReadOnlyList<int>> PredictTokensAsync(TempDirectory directory, string train, string model, EvaluateSpec evaluate) =>
        (await PredictAsync(directory, train, model, evaluate)).Tuned.Answers[0].Tokens;

    private static async Task<EvaluationRun.Outcome> PredictAsync(TempDirectory directory, string train, string model, EvaluateSpec evaluate)
    {
        var test = Path.Combine(directory.Path, "test.jsonl");
        File.WriteAllText(test, new JsonObject
        {
            ["id"] = "a",
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = Question },
                new JsonObject { ["role"] = "assistant", ["content"] = "Usually 3 to 5 days." }),
        }.ToJsonString() + "\n");
        var job = PredictStage.Job(new ModelSpec { Source = model, TorchDtype = TorchDtype.Float32, Device = DeviceKind.Cpu, ChatTemplate = Template }, evaluate, test, new TrainOutputs(train), directory.Path);
        return await EvaluationRun.RunAsync(job, _ => { });
    }

    private static async Task<IReadOnlyList<int>> ServeTokensAsync(string model, EvaluateSpec evaluate)
    {
        var request = new TorchModelRequest(model, null, new ComputeOptions(CPU, ScalarType.Float32), ChatTemplate: Template);
        using var backend = await TorchBackend.LoadAsync(request, new BatchOptions(4, TimeSpan.Zero), _ => { });
        var sampling = new SamplingSettings
        {
            MaxTokens = evaluate.MaxNewTokens,
            Temperature = evaluate.DoSample ? evaluate.Temperature : 0,
            TopP = evaluate.TopP, TopK = evaluate.TopK, RepetitionPenalty = evaluate.RepetitionPenalty, Seed = evaluate.Seed,
        };
        var job = new GenerationJob(backend.Prepare([ChatMessage.User(Question)]), sampling, CancellationToken.None);
        backend.Submit(job);
        return (await job.Completion).TokenIds;
    }
}
