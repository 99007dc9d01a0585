using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tuneforge.Data;
using Tuneforge.Data.Cleaning.Dedupe;
using Tuneforge.Data.Records;
using Tuneforge.Files;
using Tuneforge.Pipeline.Model;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Text;

namespace Tuneforge.Teacher.Augmentation;

/// <summary>What an Augment run wrote, and how long it took.</summary>
public sealed record AugmentOutcome(AugmentReport Report, TimeSpan Elapsed);

/// <summary>
/// Augment: the teacher paraphrases each train question (the last user turn) augment.paraphrases times; a paraphrase is kept
/// with the record's reference answer unless it is a near duplicate (Clean's settings) of a train question, an earlier
/// paraphrase, or a val/test question. Each kept paraphrase follows its original in train.jsonl; val/test are copied.
/// </summary>
public static class AugmentRun
{
    public const string ReportFile = "augment_report.json";

    /// <summary>Version of what Augment writes; bump it when its output changes for the same inputs.
    /// 2: empty answers are counted apart (dropped_empty), not as near duplicates.</summary>
    public const string Salt = "tuneforge-augment/2";

    public static async Task<AugmentOutcome> RunAsync(AugmentSpec spec, NearDedupeSpec dedupe, CachingTeacher teacher, string splitDirectory,
        string outputDirectory, CancellationToken cancellation = default)
    {
        string trainFile = Path.Combine(splitDirectory, DataStages.TrainFile);
        if (!File.Exists(trainFile))
        {
            throw new DataException($"{trainFile} does not exist; run Split first (./build.sh Split).");
        }

        var clock = Stopwatch.StartNew();
        List<CanonicalRecord> train = RecordJson.ReadFile(trainFile).ToList();
        var heldOut = new NearDuplicateSet(dedupe);
        foreach (string part in new[] { DataStages.ValFile, DataStages.TestFile }.Select(f => Path.Combine(splitDirectory, f)).Where(File.Exists))
        {
            foreach (CanonicalRecord record in RecordJson.ReadFile(part))
            {
                heldOut.Add(record.Id, QuestionTexts(record.PromptMessages.ToList()));
            }
        }

        var seen = new NearDuplicateSet(dedupe);
        foreach (CanonicalRecord record in train)
        {
            seen.Add(record.Id, QuestionTexts(record.PromptMessages.ToList()));
        }

        // Asked concurrently (the teacher limits it), decided in record order so that the output is deterministic.
        string[][] paraphrases = await Task.WhenAll(train.Select(r => ParaphrasesAsync(spec, teacher, r, cancellation)));
        var (written, kept, duplicates, leaks, empty) = (new List<CanonicalRecord>(), 0, 0, 0, 0);
        for (int i = 0; i < train.Count; i++)
        {
            written.Add(train[i]);
            for (int p = 0; p < paraphrases[i].Length; p++)
            {
                CanonicalRecord candidate = WithQuestion(train[i], paraphrases[i][p], p);
                IReadOnlyList<string> texts = QuestionTexts(candidate.PromptMessages.ToList());
                if (paraphrases[i][p].Length == 0)
                {
                    empty++;
                }
                else if (heldOut.Find(texts) is not null)
                {
                    leaks++;
                }
                else if (seen.Find(texts) is not null)
                {
                    duplicates++;
                }
                else
                {
                    seen.Add(candidate.Id, texts);
                    written.Add(candidate);
                    kept++;
                }
            }
        }

        Directory.CreateDirectory(outputDirectory);
        foreach (string file in Directory.GetFiles(splitDirectory).Where(f => Path.GetFileName(f) != DataStages.TrainFile))
        {
            File.Copy(file, Path.Combine(outputDirectory, Path.GetFileName(file)), overwrite: true);
        }

        AtomicFile.Write(Path.Combine(outputDirectory, DataStages.TrainFile), stream =>
        {
            foreach (CanonicalRecord record in written)
            {
                stream.Write(RecordJson.ToUtf8(record));
                stream.WriteByte((byte)'\n');
            }
        });

        var report = new AugmentReport(train.Count, paraphrases.Sum(p => p.Length), kept, duplicates, leaks, empty, teacher.TokensSpent, teacher.FromCache);
        AtomicFile.WriteAllText(Path.Combine(outputDirectory, ReportFile), JsonSerializer.Serialize(report, ReportJson) + "\n");
        return new AugmentOutcome(report, clock.Elapsed);
    }

    /// <summary>The record with its last user turn replaced by a paraphrase; the answer (and its reasoning) kept.</summary>
    public static CanonicalRecord WithQuestion(CanonicalRecord record, string question, int index)
    {
        var messages = record.Messages.ToList();
        int last = messages.FindLastIndex(m => m.Role == ChatRoles.User);
        messages[last] = messages[last] with { Content = question };
        return record with
        {
            Id = $"{record.Id}#paraphrase{index + 1}",
            Messages = messages,
            Metadata = new Dictionary<string, string>(record.Metadata) { ["paraphrase_of"] = record.Id },
        };
    }

    private static async Task<string[]> ParaphrasesAsync(AugmentSpec spec, ITeacher teacher, CanonicalRecord record, CancellationToken cancellation)
    {
        ChatMessage? question = record.PromptMessages.LastOrDefault(m => m.Role == ChatRoles.User);
        if (question is null)
        {
            return [];
        }

        IReadOnlyList<ChatMessage> prompt = [ChatMessage.System(spec.Instruction), ChatMessage.User(question.Content)];
        var replies = new string[spec.Paraphrases];
        for (int i = 0; i < spec.Paraphrases; i++)
        {
            replies[i] = (await teacher.AskAsync(new TeacherRequest(prompt, i), cancellation)).Content.Trim();
        }

        return replies;
    }

    /// <summary>What near duplicates are measured on: the user turns (the answers of paraphrases are the same by design).</summary>
    private static IReadOnlyList<string> QuestionTexts(IReadOnlyList<ChatMessage> prompt) =>
        prompt.Where(m => m.Role == ChatRoles.User).Select(m => m.Content).ToList();

    private static readonly JsonSerializerOptions ReportJson = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, PropertyNamingPolicy = SpecModel.Naming, WriteIndented = true,
    };
}
