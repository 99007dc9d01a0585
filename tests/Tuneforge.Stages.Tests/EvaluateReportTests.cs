using Tuneforge.Metrics.Human;
using Tuneforge.Metrics.Predictions;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Protocol;

namespace Tuneforge.Stages.Tests;

/// <summary>Evaluate's report shows what Clean imported from review sheets (data.reviews), and nothing of it without.</summary>
public class EvaluateReportTests
{
    static PipelineStages Stages(Scratch scratch) => new(new PipelineSpec { Name = "report-test" }, scratch.Path, "pipelines/report-test.yaml", CancellationToken.None);

    static string Predict(Scratch scratch)
    {
        var folder = scratch.File("predict");
        PredictionsFile.Write(new PredictOutputs(folder).PredictionsPath, Enumerable.Range(0, 4).Select(i =>
            new PredictionRecord($"q{i}", i % 2 == 0 ? "退款" : "物流", $"问题{i}", $"答案{i}", i < 2 ? $"答案{i}" : "不知道", null, 5, 3, null)));
        return folder;
    }

    [Fact]
    public void Clean_s_expert_ratings_are_in_the_report()
    {
        using var scratch = new Scratch();
        var ratings = ExpertRatings.Of(["reviews/round1.csv"], [("退款", 4, false, "王工"), ("物流", 2, true, "王工")]);
        scratch.Write("clean/" + ExpertRatingsJson.FileName, ExpertRatingsJson.Serialize(ratings));

        Stages(scratch).Evaluate(Predict(scratch), scratch.File("train"), scratch.File("clean"), scratch.File("evaluate"));

        var markdown = File.ReadAllText(new EvaluateOutputs(scratch.File("evaluate")).ReportMarkdownPath);
        Assert.Contains("2 of 2 reviewed answers rated (mean 3.00 of 5), 1 corrected (the corrections train), from `reviews/round1.csv` by 王工.", markdown);
        Assert.Contains("| 物流 | 1 | 2.00 | 1 |", markdown);
    }

    [Fact]
    public void Without_reviews_the_report_has_no_expert_section()
    {
        using var scratch = new Scratch();
        Directory.CreateDirectory(scratch.File("clean"));

        Stages(scratch).Evaluate(Predict(scratch), scratch.File("train"), scratch.File("clean"), scratch.File("evaluate"));

        Assert.DoesNotContain("Expert review", File.ReadAllText(new EvaluateOutputs(scratch.File("evaluate")).ReportMarkdownPath));
    }

    [Fact]
    public void The_answers_think_blocks_are_counted_in_the_summary_and_both_reports()
    {
        using var scratch = new Scratch();
        Directory.CreateDirectory(scratch.File("clean"));
        var folder = scratch.File("predict");
        PredictionsFile.Write(new PredictOutputs(folder).PredictionsPath, Enumerable.Range(0, 4).Select(i =>
            new PredictionRecord($"q{i}", "退款", $"问题{i}", $"答案{i}", $"答案{i}", null, 5, 3, null, Reasoning: i == 0 ? "先查订单" : "")));

        var summary = Stages(scratch).Evaluate(folder, scratch.File("train"), scratch.File("clean"), scratch.File("evaluate"));

        var outputs = new EvaluateOutputs(scratch.File("evaluate"));
        Assert.Contains(("reasoning", "1/4"), summary.Pairs);
        Assert.Contains("Think blocks: tuned 1 of 4 reason (3 empty, 0 without a block).", File.ReadAllText(outputs.ReportMarkdownPath));
        Assert.Contains("<p>Think blocks: tuned 1 of 4 reason (3 empty, 0 without a block).</p>", File.ReadAllText(outputs.ReportHtmlPath));
    }
}
