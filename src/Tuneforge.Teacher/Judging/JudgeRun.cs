using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tuneforge.Data;
using Tuneforge.Files;
using Tuneforge.Metrics.Evaluation;
using Tuneforge.Metrics.Matching;
using Tuneforge.Metrics.Predictions;
using Tuneforge.Metrics.Reporting;
using Tuneforge.Metrics.Statistics;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Teacher.Judging;

/// <summary>What a Judge run found, and what it cost (kept out of judge.json so that the file is deterministic).</summary>
public sealed record JudgeOutcome(JudgeScores Scores, long Asked, long FromCache, long TokensSpent, TimeSpan Elapsed);

/// <summary>
/// Judge: for each test question the judge sees the tuned and the base answer twice, tuned as A then base as A, and
/// names the better one ([[A]], [[B]]) or a tie ([[C]]). Both verdicts, mapped back to the models, give the question's
/// score; judge.json holds the win rate and the judge's own consistency, judgments.jsonl every verdict with its text.
/// </summary>
public static partial class JudgeRun
{
    public const string JudgmentsFile = "judgments.jsonl";

    /// <summary>Version of what Judge writes; bump it when its output changes for the same inputs.</summary>
    public const string Salt = "tuneforge-judge/1";

    public const string DefaultInstruction =
        "You are an impartial judge. Compare two assistants' answers, A and B, to the user's question{0}. Judge correctness " +
        "first, then whether the answer helps the user, then clarity and concision. Neither the order of the answers nor their " +
        "length may sway you. Explain your judgement briefly, then end with the verdict on its own line: [[A]] if A is better, " +
        "[[B]] if B is better, [[C]] if they are equally good or equally bad.";

    public static async Task<JudgeOutcome> RunAsync(JudgeSpec spec, CachingTeacher judge, string judgeName, string predictionsPath, string outputDirectory,
        BootstrapOptions bootstrap, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        var records = Predictions(predictionsPath, spec.MaxSamples);
        // Asked concurrently (the endpoint's client limits it), written in the test split's order.
        var verdicts = await Task.WhenAll(records.Select(r => JudgeAsync(spec, judge, r, cancellation)));

        Directory.CreateDirectory(outputDirectory);
        AtomicFile.Write(Path.Combine(outputDirectory, JudgmentsFile), stream =>
        {
            foreach (var verdict in verdicts)
            {
                stream.Write(JsonSerializer.SerializeToUtf8Bytes(verdict.Line, LineJson));
                stream.WriteByte((byte)'\n');
            }
        });
        var scores = JudgeScores.Of([.. verdicts.Select(v => v.Question)], bootstrap) with { JudgeName = judgeName };
        StageResultJson.Write(Path.Combine(outputDirectory, JudgeScores.FileName), scores);
        return new JudgeOutcome(scores, judge.Asked, judge.FromCache, judge.TokensSpent, clock.Elapsed);
    }

    /// <summary>The messages the judge sees for one order of the two answers.</summary>
    public static IReadOnlyList<ChatMessage> PromptOf(JudgeSpec spec, PredictionRecord record, string answerA, string answerB)
    {
        var instruction = spec.Instruction ?? string.Format(DefaultInstruction, spec.UseReference ? ", taking the reference answer as correct" : "");
        var reference = spec.UseReference ? $"[Reference answer]\n{record.Reference}\n\n" : "";
        return [ChatMessage.System(instruction), ChatMessage.User($"[Question]\n{record.Prompt}\n\n{reference}[Answer A]\n{answerA}\n\n[Answer B]\n{answerB}")];
    }

    /// <summary>The verdict at the end of a judge's answer (its last [[A]], [[B]] or [[C]]); null when it gave none.</summary>
    public static string? VerdictOf(string content)
    {
        var matches = VerdictPattern().Matches(content);
        if (matches.Count == 0) return null;
        var verdict = matches[^1].Groups[1].Value.ToUpperInvariant();
        return verdict == "TIE" ? "C" : verdict;
    }

    static IReadOnlyList<PredictionRecord> Predictions(string path, int? maxSamples)
    {
        if (!File.Exists(path)) throw new DataException($"{path} does not exist; run Predict first (./build.sh Predict).");
        IReadOnlyList<PredictionRecord> records;
        try
        {
            records = PredictionsFile.Read(path);
        }
        catch (PredictionsFormatException e)
        {
            throw new DataException($"Predict wrote an unreadable {Path.GetFileName(path)}: {e.Message}");
        }
        if (records.FirstOrDefault(r => r.BasePrediction is null) is { } lone)
            throw new DataException($"{path}: test record {lone.Id} has no base answer, and the judge compares tuned with base; set evaluate.compare_base: true.");
        return maxSamples is { } max ? [.. records.Take(max)] : records;
    }

    static async Task<Verdicts> JudgeAsync(JudgeSpec spec, ITeacher judge, PredictionRecord record, CancellationToken cancellation)
    {
        var tunedFirst = judge.AskAsync(new TeacherRequest(PromptOf(spec, record, record.Prediction, record.BasePrediction!)), cancellation);
        var baseFirst = judge.AskAsync(new TeacherRequest(PromptOf(spec, record, record.BasePrediction!, record.Prediction)), cancellation);
        var (first, second) = (await tunedFirst, await baseFirst);
        var (a, b) = (VerdictOf(first.Content), VerdictOf(second.Content));
        var question = new JudgedQuestion(record.Id, Pick(a, JudgePick.Tuned, JudgePick.Base), Pick(b, JudgePick.Base, JudgePick.Tuned),
            ExactMatch.Score(record.Reference, record.Prediction) == 1, ExactMatch.Score(record.Reference, record.BasePrediction!) == 1);
        var line = new JsonObject
        {
            ["id"] = record.Id,
            ["category"] = record.Category,
            ["score"] = question.Score,
            ["tuned_first"] = Judgement(a, question.TunedFirst, first.Content),
            ["base_first"] = Judgement(b, question.BaseFirst, second.Content),
        };
        return new Verdicts(question, line);
    }

    static JudgePick Pick(string? verdict, JudgePick a, JudgePick b) => verdict switch
    {
        "A" => a,
        "B" => b,
        "C" => JudgePick.Tie,
        _ => JudgePick.Unreadable,
    };

    static JsonObject Judgement(string? verdict, JudgePick pick, string text) => new()
    {
        ["verdict"] = verdict,
        ["pick"] = pick.ToString().ToLowerInvariant(),
        ["text"] = text,
    };

    [GeneratedRegex(@"\[\[\s*(A|B|C|TIE)\s*\]\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VerdictPattern();

    static readonly JsonSerializerOptions LineJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    sealed record Verdicts(JudgedQuestion Question, JsonObject Line);
}
