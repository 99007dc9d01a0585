using System.Text.Json.Nodes;

namespace Tuneforge.Pipeline.Tests;

/// <summary>Judge through the real build: the pipeline's own model served locally as the judge, both orders asked,
/// its result in metrics.json and the report, and a rerun served from the cache.</summary>
public sealed class JudgeStageTests : IDisposable
{
    readonly SmokeRoot smoke = new();

    public void Dispose() => smoke.Dispose();

    static readonly string[] LocalJudge = ["--set", "judge.enabled=true", "--set", "teacher.base_url=local", "--set", "judge.max_samples=3", "--set", "judge.max_tokens=24"];

    [Fact]
    public void A_local_judge_compares_both_orders_and_Evaluate_reports_what_it_could_read()
    {
        var (code, output) = smoke.Build(["Evaluate", .. LocalJudge]);
        Assert.True(code == 0, output);
        Assert.Matches(@"Judge\s+Succeeded .*judged: \d/3", output);

        var judge = smoke.File("artifacts/smoke/judge");
        var lines = File.ReadAllLines(Path.Combine(judge, "judgments.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.NotNull(l["tuned_first"]!["text"]));
        var scores = JsonNode.Parse(File.ReadAllText(Path.Combine(judge, "judge.json")))!;
        Assert.Equal(3, (int)scores["questions"]!);
        Assert.Equal("preset:tiny-r1, served locally", (string)scores["judge"]!);
        var metrics = JsonNode.Parse(File.ReadAllText(smoke.File("artifacts/smoke/evaluate/metrics.json")))!;
        Assert.Equal(scores.ToJsonString(), metrics["judge"]!.ToJsonString());
        Assert.Contains("<h2>LLM judge</h2>", File.ReadAllText(smoke.File("artifacts/smoke/evaluate/report.html")));

        var (again, rerun) = smoke.Build(["Evaluate", .. LocalJudge]);
        Assert.True(again == 0, rerun);
        Assert.Matches(@"Judge\s+UpToDate", rerun);
    }

    [Fact]
    public void A_judge_key_variable_that_is_not_set_fails_Judge_naming_the_setting()
    {
        var (code, output) = smoke.Build(["Judge", "--set", "judge.enabled=true", "--set", "judge.endpoint.base_url=http://127.0.0.1:9/v1",
            "--set", "judge.endpoint.api_key_env=TUNEFORGE_TEST_UNSET_JUDGE_KEY"]);

        Assert.NotEqual(0, code);
        Assert.Contains("judge.endpoint.api_key_env: the environment variable TUNEFORGE_TEST_UNSET_JUDGE_KEY is not set", output);
        Assert.DoesNotContain("   at ", output);
        Assert.False(File.Exists(smoke.File("artifacts/smoke/judge/judge.json")));
    }
}
