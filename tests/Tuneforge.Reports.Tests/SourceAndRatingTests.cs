using System.Text.Json.Nodes;
using Tuneforge.Metrics;
using Tuneforge.Metrics.Human;
using Tuneforge.Metrics.Predictions;
using Tuneforge.Reports.Html;
using Tuneforge.Reports.Input;
using Tuneforge.Reports.Markdown;

namespace Tuneforge.Reports.Tests;

public sealed class SourceAndRatingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tuneforge-report-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // The fixture's predictions with a source per category: qa-en from one file, the others from another.
    private ReportInput WithSources()
    {
        var path = Path.Combine(_directory, "predictions.jsonl");
        File.WriteAllLines(path, File.ReadLines(ReportFixture.PredictionsPath).Select(line =>
        {
            var record = JsonNode.Parse(line)!.AsObject();
            record["source"] = record["category"]!.GetValue<string>() == "qa-en" ? "data/en.jsonl" : "data/other.parquet";
            return record.ToJsonString();
        }));
        return new ReportInput(Scoring.ScoreFile(path, new ScoringOptions()), PredictionsFile.Read(path));
    }

    [Fact]
    public void A_per_source_table_follows_the_categories_when_the_test_split_has_several_sources()
    {
        var input = WithSources();
        var markdown = MarkdownReport.Render(input, []);
        var table = markdown[markdown.IndexOf("## Per source", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n\n", table.IndexOf("| source", StringComparison.Ordinal), StringComparison.Ordinal)];
        var rows = table.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["source", "data/en.jsonl", "data/other.parquet", "**all**"], rows.Select(r => r.Split('|')[1].Trim()));
        var english = input.Metrics.Sources!.Single(s => s.Source == "data/en.jsonl");
        Assert.Equal(english.Count.ToString(), rows[1].Split('|')[2].Trim());
        Assert.Contains("<h2>Per source</h2>", HtmlReport.Render(input, []));
        Assert.DoesNotContain("Per source", MarkdownReport.Render(ReportFixture.Input(), []));
    }

    [Fact]
    public void Expert_ratings_are_shown_with_counts_per_rating_and_category()
    {
        var ratings = ExpertRatings.Of(["reviews/r1.xlsx"], [("退款", 5, false, "王工"), ("退款", 2, true, "王工"), ("物流", 4, false, "李工"), ("物流", null, true, null)]);
        Assert.Equal((4, 3, 2), (ratings.Rows, ratings.Rated, ratings.Corrected));
        Assert.Equal(11.0 / 3, ratings.MeanRating!.Value, 12);
        var input = ReportFixture.Input() with { Ratings = ratings };
        var markdown = MarkdownReport.Render(input, []);
        Assert.Contains("3 of 4 reviewed answers rated (mean 3.67 of 5), 2 corrected (the corrections train), from `reviews/r1.xlsx` by 李工, 王工.", markdown);
        Assert.Contains("| answers | 0 | 1 | 0 | 1 | 1 |", markdown);
        Assert.Contains("| 物流 | 1 | 4.00 | 1 |", markdown);
        Assert.Contains("<td>退款</td><td class=\"num\">2</td><td class=\"num\">3.50</td><td class=\"num\">1</td>", HtmlReport.Render(input, []));
    }

    [Fact]
    public void The_judges_verdict_is_described_with_its_win_rate_and_its_own_biases()
    {
        var judge = Metrics.Evaluation.JudgeScores.Of([
            new("a", Metrics.Evaluation.JudgePick.Tuned, Metrics.Evaluation.JudgePick.Tuned, true, false),
            new("b", Metrics.Evaluation.JudgePick.Tuned, Metrics.Evaluation.JudgePick.Base, false, false),
            new("c", Metrics.Evaluation.JudgePick.Unreadable, Metrics.Evaluation.JudgePick.Tie, false, false),
        ], new Metrics.Statistics.BootstrapOptions(Samples: 100)) with { JudgeName = "judge-7b at http://127.0.0.1:8000/v1" };
        var input = ReportFixture.Input() with { Metrics = ReportFixture.Input().Metrics with { Judge = judge } };

        var markdown = MarkdownReport.Render(input, []);
        const string expected = "judge-7b at http://127.0.0.1:8000/v1 compared the tuned and the base answer of 3 test questions, each in both orders: " +
            "tuned won 1, tied 1 and lost 0; 1 got a verdict that could not be read and are left out. Win rate 0.75 [0.50, 1.00] (a tie counts half; 0.50 = as good as base). " +
            "Both orders agreed on 0.50 of the questions, and the answer shown first won 0.75 of the decisive verdicts (0.50 = no position bias); " +
            "where exactly one answer matched the reference, the judge preferred it in 1 of 1 (1.00).";
        Assert.Equal(expected, markdown[(markdown.IndexOf("## LLM judge\n\n", StringComparison.Ordinal) + 14)..].Split("\n\n")[0]);
        Assert.Contains("<h2>LLM judge</h2>\n<p>" + System.Net.WebUtility.HtmlEncode(expected) + "</p>", HtmlReport.Render(input, []));
        Assert.DoesNotContain("LLM judge", MarkdownReport.Render(ReportFixture.Input(), []));
    }
}
