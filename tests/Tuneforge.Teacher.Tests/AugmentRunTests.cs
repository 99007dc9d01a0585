using System.Text.Json.Nodes;
using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Teacher.Augmentation;
using Tuneforge.Text;

namespace Tuneforge.Teacher.Tests;

/// <summary>Augment's paraphrases against a scripted teacher on loopback (ports 18340-18344): kept, deduplicated, no leakage.</summary>
public sealed class AugmentRunTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tuneforge-augment-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static CanonicalRecord Record(string id, string question, string answer) =>
        new(id, [ChatMessage.User(question), ChatMessage.Assistant(answer)], "support", new SourceLocation("data.jsonl", 1));

    private const string RefundQuestion = "How do I get a refund for an order that arrived damaged?";
    private const string TestQuestion = "Can I change the delivery address after the order has shipped?";

    /// <summary>Sample 0 of the refund question is a real paraphrase, sample 1 repeats the question, sample 2 is the test question;
    /// the shipping question's samples are a paraphrase, the same paraphrase again and nothing (a reasoning teacher cut off inside its think block).</summary>
    private static ScriptedAnswer Teacher(JsonObject request)
    {
        string question = (string)request["messages"]!.AsArray()[^1]!["content"]!;
        int sample = (int)request["seed"]! - 42;
        return ScriptedAnswer.Completion(question == RefundQuestion
            ? sample switch { 0 => "My parcel came broken. What must I do to be paid back?", 1 => RefundQuestion, _ => TestQuestion }
            : sample == 2 ? "" : "Which carriers do you ship with, and how long does it take?");
    }

    [Fact]
    public async Task Paraphrases_keep_the_answer_and_duplicates_and_val_test_lookalikes_are_dropped()
    {
        string split = Path.Combine(_root, "split");
        Directory.CreateDirectory(split);
        File.WriteAllLines(Path.Combine(split, "train.jsonl"), new[]
        {
            Record("refund", RefundQuestion, "Send us a photo within 7 days and we refund you."),
            Record("ship", "What shipping companies do you use?", "SF Express and JD Logistics."),
        }.Select(r => System.Text.Encoding.UTF8.GetString(RecordJson.ToUtf8(r))));
        File.WriteAllLines(Path.Combine(split, "test.jsonl"), [System.Text.Encoding.UTF8.GetString(RecordJson.ToUtf8(Record("t1", TestQuestion, "No.")))]);
        using var server = new ScriptedChatServer(18340, Teacher);
        var (teacher, connection) = Teachers.Open(new TeacherSpec { BaseUrl = server.BaseUrl, Model = "t", RetryDelayS = 0.01 }, Path.Combine(_root, "cache"), _ => null);

        AugmentOutcome outcome;
        using (connection)
        {
            outcome = await AugmentRun.RunAsync(new AugmentSpec { Enabled = true, Paraphrases = 3 }, new NearDedupeSpec(), teacher, split, Path.Combine(_root, "out"));
        }

        var written = RecordJson.ReadFile(Path.Combine(_root, "out", "train.jsonl")).ToList();
        Assert.Equal(["refund", "refund#paraphrase1", "ship", "ship#paraphrase1"], written.Select(r => r.Id));
        Assert.Equal("My parcel came broken. What must I do to be paid back?", written[1].Messages[0].Content);
        Assert.Equal("Send us a photo within 7 days and we refund you.", written[1].Messages[^1].Content);
        Assert.Equal("refund", written[1].Metadata["paraphrase_of"]);
        Assert.Equal(new AugmentReport(Records: 2, Asked: 6, Kept: 2, DroppedDuplicates: 2, DroppedLeaks: 1, DroppedEmpty: 1, TokensSpent: 6 * 8L, FromCache: 0), outcome.Report);
        Assert.DoesNotContain(written, r => r.Messages[0].Content == TestQuestion);
        Assert.True(File.Exists(Path.Combine(_root, "out", "test.jsonl")));
        Assert.Equal(1, (int)JsonNode.Parse(File.ReadAllText(Path.Combine(_root, "out", AugmentRun.ReportFile)))!["dropped_leaks"]!);
    }
}
