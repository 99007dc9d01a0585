using System.Text.Json.Nodes;
using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Teacher.Reasoning;
using Tuneforge.Text;

namespace Tuneforge.Teacher.Tests;

/// <summary>Reason's rejection sampling against a scripted teacher on loopback (ports 18330-18339).</summary>
public sealed class ReasonRunTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tuneforge-reason-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static CanonicalRecord Record(string id, string category, string question, string answer, string? reasoning = null) =>
        new(id, [ChatMessage.User(question), ChatMessage.Assistant(answer, reasoning)], category, new SourceLocation("data.jsonl", 1));

    /// <summary>The teacher: Lyon then Paris for the capital (seed 42, 43), 4 for the sum, never the reference for the riddle.</summary>
    private static ScriptedAnswer Teacher(JsonObject request)
    {
        string question = (string)request["messages"]!.AsArray()[^1]!["content"]!;
        int seed = (int)request["seed"]!;
        return question switch
        {
            "Capital of France?" => seed == 42 ? ScriptedAnswer.Completion("Lyon", "Big city.") : ScriptedAnswer.Completion("Paris", "The capital is Paris."),
            "2+2?" => ScriptedAnswer.Completion("<think>\nAdd them.\n</think>\n\n4"),
            _ => ScriptedAnswer.Completion("No idea.", "Hmm."),
        };
    }

    [Fact]
    public async Task Accepted_traces_fill_reasoning_the_reference_answer_is_kept_and_a_rerun_asks_nothing()
    {
        string split = Path.Combine(_root, "split");
        Directory.CreateDirectory(split);
        CanonicalRecord[] train =
        [
            Record("a", "geo", "Capital of France?", "Paris"),
            Record("b", "math", "2+2?", "4"),
            Record("c", "math", "Riddle?", "Unknowable."),
            Record("d", "geo", "Capital of Italy?", "Rome", reasoning: "Known."),
        ];
        File.WriteAllLines(Path.Combine(split, "train.jsonl"), train.Select(r => System.Text.Encoding.UTF8.GetString(RecordJson.ToUtf8(r))));
        File.WriteAllText(Path.Combine(split, "val.jsonl"), "val as is\n");
        using var server = new ScriptedChatServer(18330, Teacher);
        var spec = new ReasonSpec { Enabled = true, Samples = 3, Agreement = AgreementMetric.ExactMatch, Threshold = 1.0 };

        ReasonOutcome first = await Run(server, spec, split, Path.Combine(_root, "out1"));
        ReasonOutcome second = await Run(server, spec, split, Path.Combine(_root, "out2"));

        var written = RecordJson.ReadFile(Path.Combine(_root, "out1", "train.jsonl")).ToList();
        Assert.Equal(["a", "b", "c", "d"], written.Select(r => r.Id));
        Assert.Equal(("Paris", "The capital is Paris."), (written[0].Messages[^1].Content, written[0].Messages[^1].Reasoning));
        Assert.Equal(("4", "Add them."), (written[1].Messages[^1].Content, written[1].Messages[^1].Reasoning));
        Assert.Equal(("Unknowable.", null), (written[2].Messages[^1].Content, written[2].Messages[^1].Reasoning));
        Assert.Equal("Known.", written[3].Messages[^1].Reasoning);
        Assert.Equal("val as is\n", File.ReadAllText(Path.Combine(_root, "out1", "val.jsonl")));

        ReasonReport report = first.Report;
        Assert.Equal((4, 1, 2, 6, 6 * 8L, 0L), (report.Records, report.HadReasoning, report.Accepted, report.Samples, report.TokensSpent, report.FromCache));
        Assert.Equal(2 / 3.0, report.AcceptanceRate, 9);
        Assert.Equal(new CategoryAcceptance(1, 1), report.PerCategory["geo"]);
        Assert.Equal(new CategoryAcceptance(2, 1), report.PerCategory["math"]);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_root, "out1", ReasonRun.ReportFile)))!;
        Assert.Equal(0.5, (double)json["per_category"]!["math"]!["rate"]!);
        Assert.Equal(2, (int)json["accepted"]!);

        Assert.Equal(6, server.Requests.Count);
        Assert.Equal((0L, 6L), (second.Report.TokensSpent, second.Report.FromCache));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_root, "out1", "train.jsonl")), File.ReadAllBytes(Path.Combine(_root, "out2", "train.jsonl")));
    }

    [Fact]
    public void The_teacher_sees_the_instruction_and_earlier_answers_without_their_reasoning()
    {
        var record = new CanonicalRecord("m", [ChatMessage.User("Hi"), ChatMessage.Assistant("<think>\nx\n</think>\n\nHello."), ChatMessage.User("2+2?"),
            ChatMessage.Assistant("4")], "c", new SourceLocation("f", 1));

        IReadOnlyList<ChatMessage> prompt = ReasonRun.PromptOf(new ReasonSpec { Instruction = "Think first." }, record);

        Assert.Equal([ChatMessage.System("Think first."), ChatMessage.User("Hi"), ChatMessage.Assistant("Hello."), ChatMessage.User("2+2?")], prompt);
    }

    private async Task<ReasonOutcome> Run(ScriptedChatServer server, ReasonSpec spec, string split, string output)
    {
        var (teacher, connection) = Teachers.Open(new TeacherSpec { BaseUrl = server.BaseUrl, Model = "t", RetryDelayS = 0.01 }, Path.Combine(_root, "cache"), _ => null);
        using (connection)
        {
            return await ReasonRun.RunAsync(spec, teacher, split, output);
        }
    }
}
