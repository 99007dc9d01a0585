using System.Text.Json.Nodes;
using Tuneforge.Engine.Cli;
using Tuneforge.Engine.Protocol;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Text;

namespace Tuneforge.Engine.Tests;

/// <summary>tuneforge-engine in process: its events, exit codes and files.</summary>
public sealed class CliTests
{
    private static async Task<(int Code, List<EngineEvent> Events, string Errors)> Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = await EngineCli.RunAsync(args, output, errors);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var events = lines.Select(line => EventSerializer.TryParse(line) ?? throw new Xunit.Sdk.XunitException($"not an event: {line}")).ToList();
        return (code, events, errors.ToString());
    }

    private static JsonObject Result(List<EngineEvent> events) => Assert.Single(events.OfType<ResultEvent>()).Data;

    [Fact]
    public async Task An_unknown_verb_is_an_error_event_and_exit_code_2()
    {
        var (code, events, _) = await Run("frobnicate");
        Assert.Equal(2, code);
        var error = Assert.IsType<ErrorEvent>(Assert.Single(events));
        Assert.Equal("unknown verb 'frobnicate'", error.Message);
        Assert.Contains("generate", error.Hint);
    }

    [Fact]
    public async Task A_misspelt_option_suggests_the_right_one()
    {
        var (code, events, _) = await Run("generate", "--modle", "x", "--prompt", "hi");
        Assert.Equal(2, code);
        Assert.Equal("Did you mean --model?", Assert.IsType<ErrorEvent>(Assert.Single(events)).Hint);
    }

    [Fact]
    public async Task A_missing_model_folder_is_an_error_event_naming_it()
    {
        using var directory = new TempDirectory();
        var missing = directory.File("absent");
        var (code, events, _) = await Run("generate", "--model", missing, "--prompt", "hi");
        Assert.Equal(1, code);
        Assert.Equal($"{missing}: model folder not found", Assert.IsType<ErrorEvent>(Assert.Single(events)).Message);
    }

    [Fact]
    public async Task Weights_that_do_not_fit_the_config_are_an_error_event_naming_the_key_and_shapes()
    {
        using var directory = new TempDirectory();
        using (var model = TinyModels.Random(TinyModels.Qwen2(), seed: 31)) Models.PretrainedModel.Save(model, directory.Path);
        foreach (var file in Directory.GetFiles(Loading.TokenizerLocator.Find("deepseek-r1")))
            File.Copy(file, Path.Combine(directory.Path, Path.GetFileName(file)));
        var config = File.ReadAllText(directory.File("config.json")).Replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 4");
        File.WriteAllText(directory.File("config.json"), config);

        var (code, events, _) = await Run("generate", "--model", directory.Path, "--prompt", "hi");
        Assert.Equal(1, code);
        var error = Assert.IsType<ErrorEvent>(events.Last());
        Assert.Equal("checkpoint", error.Code);
        Assert.Contains("model.layers.0.self_attn.k_proj.weight: expected shape [64, 64], found [32, 64] in model.safetensors", error.Message);
    }

    [Fact]
    public async Task Init_info_tokenize_and_generate_work_on_the_tiny_r1_preset()
    {
        using var directory = new TempDirectory();
        var model = directory.File("tiny");
        var (initCode, initEvents, _) = await Run("init", "--preset", "tiny-r1", "--seed", "0", "--out", model);
        Assert.Equal(0, initCode);
        Assert.Contains(initEvents.OfType<ArtifactEvent>(), a => a.Path == Path.Combine(model, "model.safetensors") && a.Kind == "weights");
        Assert.Equal(3_150_080, Result(initEvents)["parameters_besides_embeddings"]!.GetValue<long>());

        var (infoCode, infoEvents, _) = await Run("info", "--model", model);
        Assert.Equal(0, infoCode);
        Assert.Equal("Qwen2ForCausalLM", Result(infoEvents)["architecture"]!.GetValue<string>());
        Assert.Equal(36_245_760, Result(infoEvents)["parameters"]!.GetValue<long>());

        var (tokenizeCode, tokenizeEvents, _) = await Run("tokenize", "--tokenizer", model, "--text", "Hello, world");
        Assert.Equal(0, tokenizeCode);
        var tokenizer = HfTokenizer.Load(model);
        int[] expected = [tokenizer.BosId!.Value, .. tokenizer.Encode("Hello, world")];
        Assert.Equal(expected, Result(tokenizeEvents)["ids"]!.AsArray().Select(n => n!.GetValue<int>()));

        var output = directory.File("out");
        var (generateCode, generateEvents, _) = await Run("generate", "--model", model, "--prompt", "Hello", "--chat-template", "deepseek-r1",
            "--max-new-tokens", "6", "--greedy", "--out", output);
        Assert.Equal(0, generateCode);
        var tokens = generateEvents.OfType<TokenEvent>().ToList();
        Assert.Equal(Enumerable.Range(0, tokens.Count), tokens.Select(t => t.Step));
        var generation = Result(generateEvents)["generations"]!.AsArray().Single()!;
        Assert.Equal(string.Concat(tokens.Select(t => t.Text)), generation["text"]!.GetValue<string>());
        Assert.Equal(tokens.Count, generation["generated_tokens"]!.GetValue<int>());
        Assert.Single(File.ReadAllLines(Path.Combine(output, "generations.jsonl")));
    }

    [Fact]
    public async Task Options_come_from_a_job_file_and_the_command_line_wins()
    {
        using var directory = new TempDirectory();
        var tokenizerDirectory = Loading.TokenizerLocator.Find("deepseek-r1");
        var job = directory.File("job.json");
        File.WriteAllText(job, $$$"""{"version": 1, "verb": "tokenize", "options": {"tokenizer": {{{System.Text.Json.JsonSerializer.Serialize(tokenizerDirectory)}}}, "text": "from the job", "bos": "no"}}""");

        var (code, events, _) = await Run("tokenize", "--job", job, "--text", "abc");
        Assert.Equal(0, code);
        Assert.Equal(HfTokenizer.Load(tokenizerDirectory).Encode("abc"), Result(events)["ids"]!.AsArray().Select(n => n!.GetValue<int>()));
    }

    [Fact]
    public async Task Text_format_writes_errors_for_people_on_stderr()
    {
        var (code, events, errors) = await Run("info", "--format", "text");
        Assert.Equal(2, code);
        Assert.Empty(events);
        Assert.StartsWith("error: info: --model is required", errors);
    }

    [Fact]
    public void Text_format_shows_training_progress_for_people()
    {
        var output = new StringWriter();
        var writer = new EventWriter(output, new StringWriter(), EventFormat.Text);
        writer.Write(new StepEvent(10, 147, 0.01, 9.856735, 0.002993, 0.7, 71.6, 3300));
        writer.Write(new EvalEvent(50, 7.12345));
        writer.Write(new CheckpointEvent(50, "run/checkpoints/checkpoint-50", 7.12));
        Assert.Equal("step 10/147: loss 9.8567, lr 2.993e-3, 72 tokens/s, 00:55:00 left\nstep 50: eval loss 7.1235\nstep 50: checkpoint run/checkpoints/checkpoint-50\n",
            output.ToString());
    }
}
