using Tuneforge.Metrics.Evaluation;
using Tuneforge.Metrics.Gates;
using Tuneforge.Metrics.Reporting;
using Tuneforge.Metrics.Statistics;
using static Tuneforge.Metrics.Evaluation.JudgePick;

namespace Tuneforge.Metrics.Tests.Evaluation;

/// <summary>The pairwise judge's scores: both orders per question, ties as ½, unreadable verdicts left out, and the
/// judge's own position bias and agreement with exact match.</summary>
public class JudgeScoresTests
{
    static readonly BootstrapOptions Bootstrap = new(Samples: 500, Seed: 7);

    [Fact]
    public void Each_question_scores_its_two_verdicts_and_a_split_decision_is_a_tie()
    {
        var scores = JudgeScores.Of([
            new("win", Tuned, Tuned, true, false),
            new("loss", Base, Base, false, true),
            new("tie", Tie, Tie, false, false),
            new("split", Tuned, Base, false, false),      // each answer won where it was shown first: position bias, a tie
            new("half", Tuned, Tie, false, false),
            new("lost", Unreadable, Tuned, false, false),
        ], Bootstrap);

        Assert.Equal((6, 5, 1), (scores.Questions, scores.Judged, scores.Unreadable));
        Assert.Equal((2, 2, 1), (scores.Wins, scores.Ties, scores.Losses));
        Assert.Equal((1 + 0 + 0.5 + 0.5 + 0.75) / 5, scores.WinRate!.Value, 12);
        Assert.Equal(3 / 5.0, scores.PositionConsistency!.Value, 12);
        // Decisive verdicts: win×2 (1 first), loss×2 (1 first), split×2 (both first), half×1 (first), lost×1 (not first).
        Assert.Equal(5 / 8.0, scores.FirstPositionRate!.Value, 12);
        Assert.Equal((2, 2, 1.0), (scores.ExactMatchAgreement.Decisive, scores.ExactMatchAgreement.Agreed, scores.ExactMatchAgreement.Rate));
    }

    [Fact]
    public void A_judge_that_always_picks_the_first_answer_scores_every_question_a_tie()
    {
        var questions = Enumerable.Range(0, 20).Select(i => new JudgedQuestion($"q{i}", Tuned, Base, i % 2 == 0, false)).ToList();
        var scores = JudgeScores.Of(questions, Bootstrap);

        Assert.Equal((0, 20, 0), (scores.Wins, scores.Ties, scores.Losses));
        Assert.Equal(0.5, scores.WinRate!.Value, 12);
        Assert.Equal([0.5, 0.5], scores.WinRateInterval);
        Assert.Equal((0.0, 1.0), (scores.PositionConsistency, scores.FirstPositionRate));
        Assert.Equal((10, 0, 0.0), (scores.ExactMatchAgreement.Decisive, scores.ExactMatchAgreement.Agreed, scores.ExactMatchAgreement.Rate));
    }

    [Fact]
    public void The_win_rate_interval_is_a_pinned_bootstrap_around_the_estimate()
    {
        var questions = Enumerable.Range(0, 40).Select(i => new JudgedQuestion($"q{i}", i % 4 == 0 ? Base : Tuned, i % 5 == 0 ? Tie : Tuned, false, false)).ToList();
        var scores = JudgeScores.Of(questions, Bootstrap);

        Assert.Equal(0.825, scores.WinRate!.Value, 12);
        Assert.InRange(scores.WinRate.Value, scores.WinRateInterval![0], scores.WinRateInterval[1]);
        Assert.Equal([0.7562, 0.9], scores.WinRateInterval.Select(v => Math.Round(v, 4)));
        Assert.Equal(scores.WinRateInterval, JudgeScores.Of(questions, Bootstrap).WinRateInterval);
    }

    [Fact]
    public void Nothing_readable_gives_no_rates_and_the_gate_fails_as_not_measured()
    {
        var scores = JudgeScores.Of([new("q", Unreadable, Unreadable, true, false)], Bootstrap);
        Assert.Equal((1, 0, 1), (scores.Questions, scores.Judged, scores.Unreadable));
        Assert.Null(scores.WinRate);
        Assert.Null(scores.WinRateInterval);
        Assert.Null(scores.PositionConsistency);
        Assert.Null(scores.ExactMatchAgreement.Rate);

        var result = Scoring.ScoreFile(TestFiles.Path("scoring", "small.jsonl"),
            new ScoringOptions { Judge = scores, Gates = new Dictionary<string, string> { ["judge_win_rate"] = ">= 0.5" } }).Gates!.Results.Single();
        Assert.False(result.Passed);
        Assert.StartsWith("not measured", result.Note);
    }

    [Theory]
    [InlineData(">= 0.6", true)]
    [InlineData(">= 0.9", false)]
    public void The_judge_win_rate_gate_reads_the_judge_and_the_report_carries_it(string condition, bool passes)
    {
        var scores = JudgeScores.Of([new("a", Tuned, Tuned, true, false), new("b", Tuned, Base, false, false), new("c", Tuned, Tuned, false, false)], Bootstrap)
            with { JudgeName = "judge-model at http://127.0.0.1:1/v1" };
        var gate = GateParser.Parse("judge_win_rate", condition);
        var report = Scoring.ScoreFile(TestFiles.Path("scoring", "small.jsonl"),
            new ScoringOptions { Judge = scores, Gates = new Dictionary<string, string> { ["judge_win_rate"] = condition } });
        var result = report.Gates!.Results.Single();

        Assert.Equal(("judge_win_rate", false, false), (gate.Metric, gate.VersusBase, gate.RatioToBase));
        Assert.Equal(2.5 / 3, result.Measured!.Value, 12);
        Assert.Equal(passes, result.Passed);
        Assert.Equal(scores, report.Judge);
        Assert.Matches($@"judge_win_rate +{System.Text.RegularExpressions.Regex.Escape(condition)} +0\.8333 \(95% CI 0\.\d{{4}} \.\. 1\.0000\)", GateTable.Render(report.Gates));
        var json = MetricsReportJson.Serialize(report);
        Assert.Contains("\"judge\": \"judge-model at http://127.0.0.1:1/v1\"", json);
        Assert.Contains("\"win_rate\": 0.8333", json);
    }

    [Fact]
    public void Judge_json_round_trips_and_a_broken_file_names_itself()
    {
        var directory = Directory.CreateTempSubdirectory("judge-json-").FullName;
        try
        {
            var path = Path.Combine(directory, JudgeScores.FileName);
            var scores = JudgeScores.Of([new("a", Tuned, Tie, true, false)], Bootstrap) with { JudgeName = "j" };
            StageResultJson.Write(path, scores);
            Assert.Equal(scores with { WinRateInterval = null }, StageResultJson.Read<JudgeScores>(path, "Judge") with { WinRateInterval = null });
            Assert.Equal(scores.WinRateInterval, StageResultJson.Read<JudgeScores>(path, "Judge").WinRateInterval);

            File.WriteAllText(path, "{\n  \"questions\": \"many\"\n}");
            var error = Assert.Throws<InvalidDataException>(() => StageResultJson.Read<JudgeScores>(path, "Judge"));
            Assert.StartsWith($"{path}:2: not Judge's result", error.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
