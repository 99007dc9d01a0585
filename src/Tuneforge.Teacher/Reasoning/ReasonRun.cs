using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tuneforge.Data;
using Tuneforge.Data.Records;
using Tuneforge.Files;
using Tuneforge.Pipeline.Model;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Teacher.Reasoning;

/// <summary>What a Reason run wrote, and how long it took (kept out of the report so that the output is deterministic).</summary>
public sealed record ReasonOutcome(ReasonReport Report, TimeSpan Elapsed);

/// <summary>
/// Reason: for each train record the teacher is asked up to reason.samples times; the first sample whose final answer
/// agrees with the reference gives the record its reasoning (the reference answer is kept). val/test are copied as they are.
/// </summary>
public static class ReasonRun
{
    public const string ReportFile = "reason_report.json";

    /// <summary>Version of what Reason writes; bump it when its output changes for the same inputs.</summary>
    public const string Salt = "tuneforge-reason/1";

    public static async Task<ReasonOutcome> RunAsync(ReasonSpec spec, CachingTeacher teacher, string splitDirectory, string outputDirectory,
        CancellationToken cancellation = default)
    {
        string trainFile = Path.Combine(splitDirectory, DataStages.TrainFile);
        if (!File.Exists(trainFile))
        {
            throw new DataException($"{trainFile} does not exist; run Split first (./build.sh Split).");
        }

        var clock = Stopwatch.StartNew();
        var agreement = new AnswerAgreement(spec.Agreement, spec.Threshold);
        List<CanonicalRecord> records = RecordJson.ReadFile(trainFile).ToList();
        RecordOutcome[] outcomes = await Task.WhenAll(records.Select(r => ReasonAboutAsync(spec, teacher, agreement, r, cancellation)));

        Directory.CreateDirectory(outputDirectory);
        foreach (string file in Directory.GetFiles(splitDirectory).Where(f => Path.GetFileName(f) != DataStages.TrainFile))
        {
            File.Copy(file, Path.Combine(outputDirectory, Path.GetFileName(file)), overwrite: true);
        }

        AtomicFile.Write(Path.Combine(outputDirectory, DataStages.TrainFile), stream =>
        {
            foreach (RecordOutcome outcome in outcomes)
            {
                stream.Write(RecordJson.ToUtf8(outcome.Record));
                stream.WriteByte((byte)'\n');
            }
        });

        ReasonReport report = Report(outcomes, teacher);
        AtomicFile.WriteAllText(Path.Combine(outputDirectory, ReportFile), JsonSerializer.Serialize(report, ReportJson) + "\n");
        return new ReasonOutcome(report, clock.Elapsed);
    }

    /// <summary>The messages the teacher sees: the instruction, then the conversation before the answer, earlier answers without reasoning.</summary>
    public static IReadOnlyList<ChatMessage> PromptOf(ReasonSpec spec, CanonicalRecord record) =>
        [.. spec.Instruction is { Length: > 0 } instruction ? [ChatMessage.System(instruction)] : Array.Empty<ChatMessage>(),
            .. record.PromptMessages.Select(m => m.Role == ChatRoles.Assistant ? ChatMessage.Assistant(ReasoningSplitter.Split(m.Content).Answer) : m)];

    private static async Task<RecordOutcome> ReasonAboutAsync(ReasonSpec spec, ITeacher teacher, AnswerAgreement agreement, CanonicalRecord record,
        CancellationToken cancellation)
    {
        ChatMessage answer = record.Messages[^1];
        if (answer.Reasoning is not null || answer.Content.Contains("</think>", StringComparison.Ordinal))
        {
            return new RecordOutcome(record, HadReasoning: true, Accepted: false, Samples: 0);
        }

        IReadOnlyList<ChatMessage> prompt = PromptOf(spec, record);
        for (int sample = 0; sample < spec.Samples; sample++)
        {
            TeacherReply reply = await teacher.AskAsync(new TeacherRequest(prompt, sample), cancellation);
            if (!string.IsNullOrWhiteSpace(reply.Reasoning) && agreement.Agrees(answer.Content, reply.Content))
            {
                var messages = record.Messages.ToList();
                messages[^1] = answer with { Reasoning = reply.Reasoning.Trim('\n') };
                return new RecordOutcome(record with { Messages = messages }, HadReasoning: false, Accepted: true, Samples: sample + 1);
            }
        }

        return new RecordOutcome(record, HadReasoning: false, Accepted: false, Samples: spec.Samples);
    }

    private static ReasonReport Report(RecordOutcome[] outcomes, CachingTeacher teacher)
    {
        var perCategory = outcomes.Where(o => !o.HadReasoning)
            .GroupBy(o => o.Record.Category)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new CategoryAcceptance(g.Count(), g.Count(o => o.Accepted)));
        return new ReasonReport(outcomes.Length, outcomes.Count(o => o.HadReasoning), outcomes.Count(o => o.Accepted), outcomes.Sum(o => o.Samples),
            teacher.TokensSpent, teacher.FromCache, perCategory);
    }

    private static readonly JsonSerializerOptions ReportJson = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, PropertyNamingPolicy = SpecModel.Naming, WriteIndented = true,
    };

    private sealed record RecordOutcome(CanonicalRecord Record, bool HadReasoning, bool Accepted, int Samples);
}
