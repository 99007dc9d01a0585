using System.Diagnostics;
using System.Text.Json.Nodes;
using Tuneforge.Engine.Cli;
using Tuneforge.Engine.Cli.CommandLine;
using Tuneforge.Engine.Protocol;
using Tuneforge.Engine.Tests.TestSupport;

namespace Tuneforge.Engine.Tests;

/// <summary>What a person meets first: help as plain text, text on a terminal (JSON lines only into a pipe or when asked),
/// bench-train from the apphost, and score on predictions made elsewhere, without token counts.</summary>
public sealed class CliTextTests
{
    static async Task<(int Code, string Output, string Errors)> Run(params string[] args)
    {
        var (output, errors) = (new StringWriter(), new StringWriter());
        var code = await EngineCli.RunAsync(args, output, errors);
        return (code, output.ToString().ReplaceLineEndings("\n"), errors.ToString());
    }

    [Fact]
    public async Task A_verbs_help_is_plain_text_unless_json_is_asked_for()
    {
        var (code, text, _) = await Run("train", "--help");
        Assert.Equal(0, code);
        Assert.StartsWith("tuneforge-engine train: fine-tune a model", text);
        Assert.Contains("\n  --out VALUE  folder for the verb's output files\n", text);
        Assert.DoesNotContain("{\"event\"", text);

        var (_, json, _) = await Run("train", "--help", "--format", "json");
        var log = Assert.IsType<LogEvent>(EventSerializer.TryParse(Assert.Single(json.Split('\n', StringSplitOptions.RemoveEmptyEntries))));
        Assert.StartsWith("tuneforge-engine train: fine-tune a model", log.Message);
    }

    [Fact]
    public async Task The_bare_usage_is_plain_text_and_exit_code_2()
    {
        var (code, text, _) = await Run();
        Assert.Equal(2, code);
        Assert.StartsWith("usage: tuneforge-engine VERB [--options]", text);
        Assert.Contains("\n  score      score a predictions.jsonl", text);
    }

    // The real program: `script` gives it a terminal (a pty) as stdout; redirected, the same command writes a JSON event.
    [Fact]
    public void On_a_terminal_the_engine_writes_text_and_into_a_pipe_json_lines()
    {
        var apphost = Path.Combine(AppContext.BaseDirectory, "tuneforge-engine");
        Assert.True(File.Exists(apphost), $"{apphost} is missing: the test project copies the engine's apphost");
        using var directory = new TempDirectory();
        var missing = directory.File("absent.zip");

        var (piped, _) = Capture(apphost, ["verify", missing]);
        var error = Assert.IsType<ErrorEvent>(EventSerializer.TryParse(piped.Trim()));
        Assert.Equal($"verify: {missing}: file not found", error.Message);

        var (onTerminal, _) = Capture("script", ["-qec", $"'{apphost}' verify '{missing}'", "/dev/null"]);
        Assert.Contains($"error: verify: {missing}: file not found", onTerminal);
        Assert.DoesNotContain("{\"event\"", onTerminal);
    }

    static (string Output, int Code) Capture(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (output + errors.Result, process.ExitCode);
    }

    [Fact]
    public void Started_from_the_apphost_the_engine_starts_itself_again_without_its_dll_as_a_verb()
    {
        var (apphost, noPrefix) = SelfCommand.For("/repo/bin/tuneforge-engine", "/repo/bin/tuneforge-engine.dll");
        Assert.Equal("/repo/bin/tuneforge-engine", apphost);
        Assert.Empty(noPrefix);
        var (dotnet, dll) = SelfCommand.For("/usr/share/dotnet/dotnet", "/repo/bin/tuneforge-engine.dll");
        Assert.Equal("/usr/share/dotnet/dotnet", dotnet);
        Assert.Equal(["/repo/bin/tuneforge-engine.dll"], dll);
    }

    [Fact]
    public async Task Score_accepts_predictions_without_token_counts_and_says_model_token_lengths_are_n_a()
    {
        using var directory = new TempDirectory();
        var predictions = directory.File("predictions.jsonl");
        File.WriteAllLines(predictions,
        [
            """{"id":"1","category":"退款","prompt":"退款多久到账？","reference":"审核通过后1到3个工作日到账。","prediction":"审核通过后1到3个工作日到账。"}""",
            """{"id":"2","category":"物流","prompt":"运费怎么算？","reference":"满99元包邮。","prediction":"不满99元收8元运费。"}""",
        ]);
        var output = directory.File("out");

        var (code, text, errors) = await Run("score", "--predictions", predictions, "--out", output, "--bootstrap-samples", "50");
        Assert.True(code == 0, text + errors);
        var events = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(EventSerializer.TryParse).ToList();
        Assert.Contains(events, e => e is LogEvent { Message: "completion_tokens is missing on some lines: answer lengths in model tokens are n/a (every other metric is computed from the texts)." });
        var overall = Assert.Single(events.OfType<ResultEvent>()).Data;
        Assert.Equal(2, overall["count"]!.GetValue<int>());
        Assert.Equal(1.0, overall["tuned"]!["exact_match"]!.GetValue<double>() * 2, 9); // one of two answers is the reference
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")))!;
        Assert.Null(metrics["overall"]!["lengths"]!["prediction_completion_tokens"]);
        Assert.NotNull(metrics["overall"]!["lengths"]!["prediction_chars"]);
    }
}
