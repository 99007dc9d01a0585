using System.Text.Json.Nodes;
using Tuneforge.Metrics.Reporting;

namespace Tuneforge.Metrics.Tests.Evaluation;

/// <summary>metrics.json counts the answers' think blocks: with reasoning, empty, or none, tuned and base.</summary>
public class ReasoningReportTests
{
    // small.jsonl with think blocks: tuned answers reason, close an empty block, or have none; base answers never reason.
    static string WithThinkBlocks(string directory, string?[] tuned, string?[] baseline)
    {
        var path = Path.Combine(directory, "predictions.jsonl");
        File.WriteAllLines(path, File.ReadLines(TestFiles.Path("scoring", "small.jsonl")).Select((line, i) =>
        {
            var record = JsonNode.Parse(line)!.AsObject();
            if (tuned[i] is { } t) record["reasoning"] = t;
            if (baseline[i] is { } b) record["base_reasoning"] = b;
            return record.ToJsonString();
        }));
        return path;
    }

    [Fact]
    public void Think_blocks_are_counted_per_system_and_written_to_metrics_json()
    {
        var directory = Directory.CreateTempSubdirectory("tuneforge-reasoning-").FullName;
        try
        {
            var path = WithThinkBlocks(directory, ["先查订单。", "", " \n", "想一想", null, null], ["", "", "", "", "", null]);
            var report = Scoring.ScoreFile(path, new ScoringOptions());

            Assert.Equal(new ThinkBlocks(WithReasoning: 2, Empty: 2, None: 2), report.Reasoning!.Tuned);
            Assert.Equal(new ThinkBlocks(WithReasoning: 0, Empty: 5, None: 1), report.Reasoning.Base);
            Assert.Equal("Think blocks: tuned 2 of 6 reason (2 empty, 2 without a block); base 0 of 6 reason (5 empty, 1 without a block)", report.Reasoning.Describe());
            Assert.Equal(("reasoning", "2/6 (base 0/6)"), report.Reasoning.Pair());
            var json = MetricsReportJson.Serialize(report);
            Assert.Contains("\"reasoning\": {\n    \"tuned\": {\n      \"with_reasoning\": 2,", json.ReplaceLineEndings("\n"));
            MetricsReportJson.Write(Path.Combine(directory, "metrics.json"), report);
            Assert.Equal(json, MetricsReportJson.Serialize(MetricsReportJson.Read(Path.Combine(directory, "metrics.json"))));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Predictions_without_think_blocks_have_no_reasoning_entry()
    {
        var report = Scoring.ScoreFile(TestFiles.Path("scoring", "small.jsonl"), new ScoringOptions());

        Assert.Null(report.Reasoning);
        Assert.DoesNotContain("\"reasoning\"", MetricsReportJson.Serialize(report));
    }
}
