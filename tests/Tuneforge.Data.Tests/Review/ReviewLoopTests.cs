using System.Text;
using System.Text.Json;
using MiniExcelLibs;
using Tuneforge.Data.Records;
using Tuneforge.Data.Review;
using Tuneforge.Metrics;
using Tuneforge.Metrics.Human;
using Tuneforge.Metrics.Predictions;
using Tuneforge.Metrics.Reporting;
using Tuneforge.Pipeline.Spec;

namespace Tuneforge.Data.Tests.Review;

public class ReviewLoopTests
{
    static CleanSpec NoNearDedupe => new() { NearDedupe = new NearDedupeSpec { Enabled = false }, MinChars = 0 };

    // 12 support records; "Evaluate" answers the first 6 (ids q00..q05), the tuned answer right for even ids only.
    static (DataSpec Data, string Predictions, string Metrics) Evaluated(Workspace w)
    {
        w.WriteJsonl("data/support.jsonl", Enumerable.Range(0, 12).Select(i => (object)new
        {
            id = $"q{i:D2}", category = i % 2 == 0 ? "退款" : "物流", instruction = $"第{i}个问题：订单\n怎么办？", output = $"第{i}个标准答案，含\"引号\"，逗号。",
        }));
        var data = Workspace.Sources("data/support.jsonl");
        var predictions = Path.Combine(w.Root, "evaluate", "predictions.jsonl");
        PredictionsFile.Write(predictions, Enumerable.Range(0, 6).Select(i => new PredictionRecord($"q{i:D2}", i % 2 == 0 ? "退款" : "物流",
            $"第{i}个问题：订单\n怎么办？", $"第{i}个标准答案，含\"引号\"，逗号。", i % 2 == 0 ? $"第{i}个标准答案，含\"引号\"，逗号。" : "不知道。", "随便", 9, 5, 2, "data/support.jsonl")));
        var metrics = Path.Combine(w.Root, "evaluate", "metrics.json");
        MetricsReportJson.Write(metrics, Scoring.ScoreFile(predictions, new ScoringOptions()));
        return (data, predictions, metrics);
    }

    static ReviewSpec Sheet => new() { Lowest = 3, Sample = 2, Seed = 1 };

    [Fact]
    public void The_sheet_lists_the_lowest_scoring_answers_then_a_sample_as_csv_with_a_bom_and_as_xlsx_with_chinese_intact()
    {
        using var w = new Workspace();
        var (_, predictions, metrics) = Evaluated(w);
        var result = DataStages.ExportReview(Sheet, predictions, metrics, Path.Combine(w.Root, "review"));
        Assert.Equal((5, 3, 2), (result.Rows, result.Lowest, result.Sampled));

        var csv = File.ReadAllBytes(Path.Combine(w.Root, "review", "review.csv"));
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        var text = Encoding.UTF8.GetString(csv[3..]);
        Assert.StartsWith("id,category,source,why,question,reference,tuned_answer,base_answer,rougeL_tuned,rougeL_base,rating,corrected_answer,comment,reviewer\r\n", text);
        Assert.Contains("q01,物流,data/support.jsonl,lowest rougeL,\"第1个问题：订单\n怎么办？\",\"第1个标准答案，含\"\"引号\"\"，逗号。\",不知道。,随便,0,0,,,,\r\n", text);

        var rows = MiniExcel.Query(Path.Combine(w.Root, "review", "review.xlsx"), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(["q01", "q03", "q05"], rows.Take(3).Select(r => (string)r["id"]!));
        Assert.Equal(["lowest rougeL", "lowest rougeL", "lowest rougeL", "sample", "sample"], rows.Select(r => (string)r["why"]!));
        Assert.Equal("第1个问题：订单\n怎么办？", rows[0]["question"]);
        Assert.Equal(1.0, rows[3]["rougeL_tuned"]);
        Assert.All(rows, r => Assert.Null(r["corrected_answer"]));

        var empty = Assert.Throws<DataException>(() => DataStages.ExportReview(new ReviewSpec { Lowest = 0, Sample = 0 }, predictions, metrics, Path.Combine(w.Root, "none")));
        Assert.StartsWith("review.lowest and review.sample are both 0", empty.Message);

        // The same answers give the same bytes (MiniExcel's zip times are fixed).
        DataStages.ExportReview(Sheet, predictions, metrics, Path.Combine(w.Root, "again"));
        foreach (var file in result.Files)
            Assert.Equal(File.ReadAllBytes(Path.Combine(w.Root, "review", file)), File.ReadAllBytes(Path.Combine(w.Root, "again", file)));
    }

    // The expert's work: on the xlsx, rate every row, correct q01's answer, comment on it.
    static string Filled(Workspace w, Func<string, (object? Rating, string? Correction)> fill, string name = "reviews/r1.xlsx")
    {
        var (_, predictions, metrics) = Evaluated(w);
        DataStages.ExportReview(Sheet, predictions, metrics, Path.Combine(w.Root, "review"));
        var rows = MiniExcel.Query(Path.Combine(w.Root, "review", "review.xlsx"), useHeaderRow: true).Cast<IDictionary<string, object?>>()
            .Select(r => r.ToDictionary(kv => kv.Key, kv => kv.Value)).ToList();
        foreach (var row in rows)
        {
            var (rating, correction) = fill((string)row["id"]!);
            (row["rating"], row["corrected_answer"], row["reviewer"]) = (rating, correction, "王工");
            if (correction is not null) row["comment"] = "标准答案过时了";
        }
        var path = Path.Combine(w.Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        MiniExcel.SaveAs(path, rows, sheetName: "review");
        return name;
    }

    [Fact]
    public void A_filled_sheet_turns_corrections_into_train_records_with_provenance_and_ratings_into_a_summary()
    {
        using var w = new Workspace();
        var sheet = Filled(w, id => (id == "q01" ? 2 : 4, id == "q01" ? "请在订单页申请售后，客服一天内处理。" : null));
        var data = Workspace.Sources("data/support.jsonl") with { Reviews = [sheet] };
        var result = w.Clean(data, NoNearDedupe);
        Assert.Equal((13, 12, 1), (result.Stats.Input, result.Stats.Kept, result.Stats.Rejected));

        var corrected = Assert.Single(w.Kept(), r => r.Origin == RecordOrigin.Review);
        Assert.Equal("q01", corrected.Id);
        Assert.Equal("请在订单页申请售后，客服一天内处理。", corrected.Response);
        Assert.Equal("第1个问题：订单\n怎么办？", corrected.Messages[0].Content);
        Assert.Equal("物流", corrected.Category);
        Assert.Equal(new SourceLocation("reviews/r1.xlsx", 2), corrected.Source);
        Assert.Equal(new Dictionary<string, string> { ["rating"] = "2", ["corrected"] = "true", ["comment"] = "标准答案过时了", ["reviewer"] = "王工" }, corrected.Metadata);
        var superseded = Assert.Single(w.Rejects());
        Assert.Equal(RejectReason.SupersededByReview, superseded.GetProperty("reason").GetString());
        Assert.Equal("an expert corrected its answer on reviews/r1.xlsx:2; the correction trains instead.", superseded.GetProperty("detail").GetString());

        var ratings = ExpertRatingsJson.ReadIfPresent(Path.Combine(w.Output, ExpertRatingsJson.FileName))!;
        Assert.Equal((5, 5, 1), (ratings.Rows, ratings.Rated, ratings.Corrected));
        Assert.Equal((2 + 4 * 4) / 5.0, ratings.MeanRating!.Value, 12);
        Assert.Equal(["王工"], ratings.Reviewers);

        var split = DataStages.Split(new SplitSpec { Train = 0.5, Val = 0.25, Test = 0.25 }, data, Path.Combine(w.Output, "clean.jsonl"), Path.Combine(w.Root, "split"));
        Assert.Contains(RecordJson.ReadFile(Path.Combine(w.Root, "split", "train.jsonl")), r => r.Id == "q01" && r.Origin == RecordOrigin.Review);
        Assert.DoesNotContain(RecordJson.ReadFile(Path.Combine(w.Root, "split", "test.jsonl")).Concat(RecordJson.ReadFile(Path.Combine(w.Root, "split", "val.jsonl"))), r => r.Id == "q01");
        Assert.Equal(12, split.Train + split.Val + split.Test);
    }

    [Fact]
    public void A_row_whose_id_was_never_exported_stops_clean_at_sheet_row_and_nothing_is_written()
    {
        using var w = new Workspace();
        Evaluated(w);
        w.Write("reviews/r1.csv", "id,question,rating,corrected_answer\nq01,第1个问题：订单 怎么办？,3,\nq99,别的问题,5,好的答案\n", bom: true);
        var data = Workspace.Sources("data/support.jsonl") with { Reviews = ["reviews/r1.csv"] };
        var e = Assert.Throws<DataException>(() => w.Clean(data, NoNearDedupe));
        Assert.Equal("reviews/r1.csv:3: id 'q99' was never exported: no record of data.sources has it. Keep the id column as ExportReview wrote it, and review sheets of this pipeline's data.", e.Message);
        Assert.False(Directory.Exists(w.Output) && Directory.EnumerateFiles(w.Output).Any(f => !f.EndsWith(".tmp", StringComparison.Ordinal)), "no output is published");
        Assert.Empty(Directory.Exists(w.Output) ? Directory.GetFiles(w.Output) : []);
    }

    [Fact]
    public void Bad_ratings_repeated_ids_and_edited_questions_name_the_sheet_row()
    {
        using var w = new Workspace();
        Evaluated(w);
        DataException Fails(string csv)
        {
            w.Write("reviews/r1.csv", csv);
            return Assert.Throws<DataException>(() => w.Clean(Workspace.Sources("data/support.jsonl") with { Reviews = ["reviews/r1.csv"] }, NoNearDedupe));
        }
        Assert.Equal("reviews/r1.csv:2: rating 'good' is not a whole number from 1 to 5; write 1 (wrong) to 5 (right), or leave it empty.",
            Fails("id,rating\nq01,good\n").Message);
        Assert.Equal("reviews/r1.csv:3: id 'q01' is on reviews/r1.csv:2 already; keep one row per exported answer.",
            Fails("id,rating\nq01,4\nq01,5\n").Message);
        Assert.StartsWith("reviews/r1.csv:2: the question of this row is not the one of record 'q01' (data/support.jsonl:2)",
            Fails("id,question,rating\nq01,第7个问题,4\n").Message);
        Assert.Equal("reviews/r1.csv:1: the header (question, rating) has none of the columns a record needs (id); keep the header row as ExportReview wrote it (id, question, ..., rating, corrected_answer, comment, reviewer).",
            Fails("question,rating\nq,4\n").Message);
    }

    [Fact]
    public void A_reviewed_answer_line_is_a_chat_record_that_clean_reads_with_its_metadata()
    {
        using var w = new Workspace();
        var answer = new ReviewedAnswer("feedback-1", "feedback", [Text.ChatMessage.User("发票？"), Text.ChatMessage.Assistant("订单页申请。", "想一想")], 5, Corrected: false)
        {
            Model = "tiny", ResponseId = "chatcmpl-1", Comment = "好",
        };
        ReviewedAnswerJson.WriteFile(Path.Combine(w.Root, "feedback.jsonl"), [answer]);
        Assert.Equal("""{"id":"feedback-1","category":"feedback","messages":[{"role":"user","content":"发票？"},{"role":"assistant","content":"订单页申请。","reasoning_content":"想一想"}],"rating":5,"corrected":false,"model":"tiny","response_id":"chatcmpl-1","comment":"好"}""" + "\n",
            File.ReadAllText(Path.Combine(w.Root, "feedback.jsonl")));
        w.Clean(Workspace.Sources("feedback.jsonl"), NoNearDedupe);
        var record = Assert.Single(w.Kept());
        Assert.Equal(Text.ChatMessage.Assistant("订单页申请。", "想一想"), record.Messages[1]);
        Assert.Equal(new Dictionary<string, string> { ["rating"] = "5", ["corrected"] = "false", ["model"] = "tiny", ["response_id"] = "chatcmpl-1", ["comment"] = "好" }, record.Metadata);
    }
}
