using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tuneforge.Data;
using Tuneforge.Metrics.Evaluation;
using Tuneforge.Metrics.Predictions;
using Tuneforge.Metrics.Reporting;
using Tuneforge.Metrics.Statistics;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Teacher.Judging;

namespace Tuneforge.Teacher.Tests;

/// <summary>Judge against scripted judges on loopback (ports 18350-18359): both orders asked, verdicts mapped back to
/// the models, position bias turned into ties, unreadable verdicts counted apart, and a rerun served from the cache.</summary>
public sealed partial class JudgeRunTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tuneforge-judge-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly BootstrapOptions Bootstrap = new(Samples: 200, Seed: 1);

    // q1 tuned exact, q2 base exact, q3 both wrong, q4 tuned exact.
    private static readonly PredictionRecord[] Records =
    [
        Prediction("q1", "Refunds take 7 days.", tuned: "Refunds take 7 days.", baseline: "I do not know."),
        Prediction("q2", "We ship with SF Express.", tuned: "We ship by sea.", baseline: "We ship with SF Express."),
        Prediction("q3", "Open 9 to 5.", tuned: "Open at noon.", baseline: "Closed today."),
        Prediction("q4", "Call 400-800.", tuned: "Call 400-800.", baseline: "Write a letter."),
    ];

    private static PredictionRecord Prediction(string id, string reference, string tuned, string? baseline) =>
        new(id, "support", $"Question {id}?", reference, tuned, baseline, 5, 5, 5);

    private string Write(IEnumerable<PredictionRecord> records)
    {
        var path = Path.Combine(_root, "predictions.jsonl");
        PredictionsFile.Write(path, records);
        return path;
    }

    /// <summary>A judge that reasons like a good one: the answer equal to the reference wins, else a tie.</summary>
    private static ScriptedAnswer ReferenceJudge(JsonObject request)
    {
        var user = (string)request["messages"]!.AsArray()[^1]!["content"]!;
        var part = Sections().Matches(user).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim());
        var verdict = part["Answer A"] == part["Reference answer"] ? "[[A]]" : part["Answer B"] == part["Reference answer"] ? "[[B]]" : "[[C]]";
        return ScriptedAnswer.Completion($"Comparing with the reference answer.\n{verdict}");
    }

    [GeneratedRegex(@"\[(Question|Reference answer|Answer A|Answer B)\]\n(.*?)(?=\n\n\[|\z)", RegexOptions.Singleline)]
    private static partial Regex Sections();

    private async Task<(JudgeOutcome Outcome, ScriptedChatServer Server)> Run(int port, Func<JsonObject, ScriptedAnswer> judge, JudgeSpec? spec = null)
    {
        var server = new ScriptedChatServer(port, judge);
        var (teacher, connection) = Teachers.Open(new JudgeSpec().TeacherOf(new TeacherSpec { BaseUrl = server.BaseUrl, Model = "judge", RetryDelayS = 0.01 }),
            Path.Combine(_root, "cache"), _ => null);
        using (connection)
        {
            var outcome = await JudgeRun.RunAsync(spec ?? new JudgeSpec { Enabled = true }, teacher, "judge", Write(Records), Path.Combine(_root, "out"), Bootstrap);
            return (outcome, server);
        }
    }

    [Fact]
    public async Task A_judge_that_follows_the_reference_agrees_with_exact_match_in_both_orders()
    {
        var (outcome, server) = await Run(18350, ReferenceJudge);
        using (server)
        {
            var scores = outcome.Scores;
            Assert.Equal((4, 4, 0), (scores.Questions, scores.Judged, scores.Unreadable));
            Assert.Equal((2, 1, 1), (scores.Wins, scores.Ties, scores.Losses));
            Assert.Equal(0.625, scores.WinRate!.Value, 12);
            Assert.Equal((1.0, 0.5), (scores.PositionConsistency, scores.FirstPositionRate));
            Assert.Equal((3, 3, 1.0), (scores.ExactMatchAgreement.Decisive, scores.ExactMatchAgreement.Agreed, scores.ExactMatchAgreement.Rate));
            Assert.Equal(8, outcome.Asked);

            var bodies = server.Requests.Select(r => r.Body).ToList();
            Assert.All(bodies, b => Assert.Equal((0.0, 1.0, 2048), ((double)b["temperature"]!, (double)b["top_p"]!, (int)b["max_tokens"]!)));
            var q1 = bodies.Select(b => (string)b["messages"]!.AsArray()[^1]!["content"]!).Where(c => c.Contains("Question q1?")).ToList();
            Assert.Equal(2, q1.Count);
            Assert.Contains(q1, c => c.Contains("[Answer A]\nRefunds take 7 days.\n\n[Answer B]\nI do not know."));
            Assert.Contains(q1, c => c.Contains("[Answer A]\nI do not know.\n\n[Answer B]\nRefunds take 7 days."));

            var lines = File.ReadAllLines(Path.Combine(_root, "out", JudgeRun.JudgmentsFile)).Select(l => JsonNode.Parse(l)!).ToList();
            Assert.Equal(["q1", "q2", "q3", "q4"], lines.Select(l => (string)l["id"]!));
            Assert.Equal(("A", "tuned", "B", "tuned"), ((string)lines[0]["tuned_first"]!["verdict"]!, (string)lines[0]["tuned_first"]!["pick"]!,
                (string)lines[0]["base_first"]!["verdict"]!, (string)lines[0]["base_first"]!["pick"]!));
            Assert.Equal(0.0, (double)lines[1]["score"]!);
            Assert.Equal(scores.WinRate, StageResultJson.Read<JudgeScores>(Path.Combine(_root, "out", JudgeScores.FileName), "Judge").WinRate);
        }
    }

    [Fact]
    public async Task A_judge_that_always_picks_the_first_answer_only_ties_and_a_rerun_asks_nothing()
    {
        var (outcome, server) = await Run(18351, _ => ScriptedAnswer.Completion("A is clearly better. [[A]]"));
        using (server)
        {
            Assert.Equal((0, 4, 0), (outcome.Scores.Wins, outcome.Scores.Ties, outcome.Scores.Losses));
            Assert.Equal((0.5, 0.0, 1.0), (outcome.Scores.WinRate, outcome.Scores.PositionConsistency, outcome.Scores.FirstPositionRate));
            Assert.Equal(0.0, outcome.Scores.ExactMatchAgreement.Rate);
        }

        var (again, second) = await Run(18351, _ => ScriptedAnswer.Error(500, "the cache should have answered"));
        using (second)
        {
            Assert.Equal((0, 8), (again.Asked, again.FromCache));
            Assert.Empty(second.Requests);
            Assert.Equal(outcome.Scores.WinRate, again.Scores.WinRate);
        }
    }

    [Fact]
    public async Task Verdicts_that_cannot_be_read_are_counted_apart_and_the_last_verdict_counts()
    {
        var (outcome, server) = await Run(18353, request =>
        {
            var user = (string)request["messages"]!.AsArray()[^1]!["content"]!;
            return ScriptedAnswer.Completion(user.Contains("Question q1?") ? "Both are fine, I cannot choose." : "First [[A]]... on reflection [[tie]]");
        });
        using (server)
        {
            Assert.Equal((4, 3, 1), (outcome.Scores.Questions, outcome.Scores.Judged, outcome.Scores.Unreadable));
            Assert.Equal((0, 3, 0), (outcome.Scores.Wins, outcome.Scores.Ties, outcome.Scores.Losses));
            var q1 = JsonNode.Parse(File.ReadLines(Path.Combine(_root, "out", JudgeRun.JudgmentsFile)).First())!;
            Assert.Equal(("unreadable", null), ((string)q1["tuned_first"]!["pick"]!, (string?)q1["tuned_first"]!["verdict"]));
            Assert.Null(q1["score"]);
        }
    }

    [Fact]
    public async Task Max_samples_judges_the_first_answers_and_the_reference_can_be_left_out()
    {
        var (outcome, server) = await Run(18354, _ => ScriptedAnswer.Completion("[[B]]"), new JudgeSpec { Enabled = true, MaxSamples = 2, UseReference = false });
        using (server)
        {
            Assert.Equal(2, outcome.Scores.Questions);
            Assert.Equal(4, server.Requests.Count);
            Assert.All(server.Requests, r => Assert.DoesNotContain("[Reference answer]", (string)r.Body["messages"]!.AsArray()[^1]!["content"]!));
            Assert.DoesNotContain("reference answer", (string)server.Requests.First().Body["messages"]!.AsArray()[0]!["content"]!);
        }
    }

    [Fact]
    public async Task Predictions_without_base_answers_are_refused_before_anything_is_asked()
    {
        using var server = new ScriptedChatServer(18355, ScriptedAnswer.Completion("[[A]]"));
        var (teacher, connection) = Teachers.Open(new TeacherSpec { BaseUrl = server.BaseUrl, Model = "judge" }, Path.Combine(_root, "cache"), _ => null);
        using (connection)
        {
            var path = Write(Records.Select(r => r with { BasePrediction = null }));
            var error = await Assert.ThrowsAsync<DataException>(() => JudgeRun.RunAsync(new JudgeSpec { Enabled = true }, teacher, "judge", path, Path.Combine(_root, "out"), Bootstrap));

            Assert.Equal($"{path}: test record q1 has no base answer, and the judge compares tuned with base; set evaluate.compare_base: true.", error.Message);
            Assert.Empty(server.Requests);
            Assert.False(Directory.Exists(Path.Combine(_root, "out")));
        }
    }

    [Theory]
    [InlineData("Reasoning...\n[[B]]", "B")]
    [InlineData("[[a]] at first, but [[ C ]]", "C")]
    [InlineData("[[Tie]]", "C")]
    [InlineData("A is better", null)]
    [InlineData("[A]", null)]
    public void The_verdict_is_the_last_one_in_double_brackets(string content, string? verdict) =>
        Assert.Equal(verdict, JudgeRun.VerdictOf(content));
}
