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
}
