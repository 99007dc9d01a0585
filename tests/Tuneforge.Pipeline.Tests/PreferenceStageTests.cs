using System.Text.Json.Nodes;

namespace Tuneforge.Pipeline.Tests;

/// <summary>SFT then DPO through the real build: PreferenceTrain's held-out reward accuracy and margin reach
/// metrics.json, the report and Evaluate's summary.</summary>
public sealed class PreferenceStageTests : IDisposable
{
    readonly SmokeRoot smoke = new();

    public PreferenceStageTests() => smoke.Copy("data/samples/support-zh-preferences.jsonl");

    public void Dispose() => smoke.Dispose();

    [Fact]
    public void Evaluate_carries_the_preference_metrics_of_the_val_pairs()
    {
        var (code, output) = smoke.Build("Evaluate", "--set", "data.sources=[data/samples/support-zh-preferences.jsonl]", "--set", "preference.method=dpo",
            "--set", "preference.max_steps=2", "--set", "preference.max_prompt_length=48", "--set", "preference.max_length=96");
        Assert.True(code == 0, output);
        Assert.Matches(@"PreferenceTrain\s+Succeeded", output);
        Assert.Matches(@"Evaluate\s+Succeeded .*reward_accuracy: \d\.\d\d -> \d\.\d\d", output);

        var written = JsonNode.Parse(File.ReadAllText(smoke.File("artifacts/smoke/preference/preference_metrics.json")))!;
        Assert.Equal(("dpo", "sft"), ((string)written["method"]!, (string)written["start_from"]!));
        Assert.True((int)written["val_pairs"]! > 0);
        var metrics = JsonNode.Parse(File.ReadAllText(smoke.File("artifacts/smoke/evaluate/metrics.json")))!;
        Assert.Equal(written.ToJsonString(), metrics["preference"]!.ToJsonString());
        var report = File.ReadAllText(smoke.File("artifacts/smoke/evaluate/report.md"));
        Assert.Contains("## Preference pairs\n\n" + System.Net.WebUtility.HtmlEncode($"DPO from Train's SFT adapter, on the {(int)written["val_pairs"]!} held-out pairs of the val split: reward accuracy "), report);
    }
}
