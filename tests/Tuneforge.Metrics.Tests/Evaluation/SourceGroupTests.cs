using System.Text.Json;
using System.Text.Json.Nodes;
using Tuneforge.Metrics.Evaluation;
using Tuneforge.Metrics.Predictions;
using Tuneforge.Metrics.Reporting;

namespace Tuneforge.Metrics.Tests.Evaluation;

public class SourceGroupTests
{
    // small.jsonl with a source per line: the English records from one file, the Chinese ones from another.
    static string WithSources(string directory, Func<JsonObject, string?> source)
    {
        var path = Path.Combine(directory, "predictions.jsonl");
        File.WriteAllLines(path, File.ReadLines(TestFiles.Path("scoring", "small.jsonl")).Select(line =>
        {
            var record = JsonNode.Parse(line)!.AsObject();
            if (source(record) is { } name) record["source"] = name;
            return record.ToJsonString();
        }));
        return path;
    }

    [Fact]
    public void Metrics_are_grouped_per_source_like_per_category_when_the_test_split_has_several_sources()
    {
        var directory = Directory.CreateTempSubdirectory("tuneforge-sources-").FullName;
        try
        {
            var path = WithSources(directory, r => r["category"]!.GetValue<string>() == "qa-en" ? "data/en.jsonl" : "data/zh.parquet");
            var report = Scoring.ScoreFile(path, new ScoringOptions { Perplexity = new(Tuned: 3.2, TunedByCategory: new Dictionary<string, double> { ["qa-zh"] = 4.0 }) });
            Assert.Equal(["data/en.jsonl", "data/zh.parquet"], report.Sources!.Select(s => s.Source));
            for (var i = 0; i < 2; i++)
            {
                var (bySource, byCategory) = (report.Sources![i], report.Categories[i]);
                Assert.Equal(byCategory.Count, bySource.Count);
                Assert.Equal(byCategory.Tuned.RougeL.F1, bySource.Tuned.RougeL.F1, 12);
                Assert.Equal(byCategory.Tuned.Bleu, bySource.Tuned.Bleu, 12);
                Assert.Equal(byCategory.Deltas!.Single(d => d.Metric == "rougeL").CiLow, bySource.Deltas!.Single(d => d.Metric == "rougeL").CiLow);
                Assert.Null(bySource.Category);
                Assert.Null(bySource.Tuned.Perplexity);   // measured per category only
            }
            var json = MetricsReportJson.Serialize(report);
            Assert.Contains("\"source\": \"data/zh.parquet\"", json);
            MetricsReportJson.Write(Path.Combine(directory, "metrics.json"), report);
            Assert.Equal(json, MetricsReportJson.Serialize(MetricsReportJson.Read(Path.Combine(directory, "metrics.json"))));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void One_source_or_none_gives_no_source_table_and_unchanged_json()
    {
        var directory = Directory.CreateTempSubdirectory("tuneforge-sources-").FullName;
        try
        {
            var one = Scoring.ScoreFile(WithSources(directory, _ => "data/all.jsonl"), new ScoringOptions());
            Assert.Null(one.Sources);
            Assert.DoesNotContain("\"sources\"", MetricsReportJson.Serialize(one));
            var some = Scoring.ScoreFile(WithSources(directory, r => r["id"]!.GetValue<string>() == "en-1" ? "data/a.jsonl" : null), new ScoringOptions());
            Assert.Equal(["(unknown)", "data/a.jsonl"], some.Sources!.Select(s => s.Source));
            Assert.Equal(Scorer.NoSource, some.Sources![0].Source);
            Assert.Equal("data/a.jsonl", PredictionsFile.Read(Path.Combine(directory, "predictions.jsonl"))[0].Source);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
