using Tuneforge.Data.Records;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Teacher;
using Tuneforge.Teacher.Reasoning;
using Tuneforge.Serve.Tests.Support;
using Tuneforge.Text;

namespace Tuneforge.Serve.Tests.EndToEnd;

/// <summary>Tuneforge's own Serve (the engine backend on the tiny preset, and llama.cpp on a GGUF file) as Reason's teacher, over loopback.</summary>
public class ServeAsTeacherTests(EngineServerFixture engine) : IClassFixture<EngineServerFixture>
{
    [Fact]
    public Task Reason_reads_Serve_s_reasoning_content_and_usage_and_a_second_run_asks_nothing() =>
        ReasonAgainst(new Uri(engine.BaseAddress, "/v1").ToString());

    [Fact]
    public async Task Reason_asks_llama_cpp_through_Serve_s_gguf_backend_the_same_way()
    {
        using var gguf = new TinyGguf();
        var port = EngineProcess.FreePort();
        await using var server = EngineProcess.Start("serve", "--gguf", gguf.Path, "--chat-template", "deepseek-r1", "--threads", "2",
            "--context-size", "256", "--urls", $"http://127.0.0.1:{port}", "--no-feedback");
        await server.WaitUntilReadyAsync(TimeSpan.FromMinutes(2));
        await ReasonAgainst($"http://127.0.0.1:{port}/v1");
    }

    private static async Task ReasonAgainst(string baseUrl)
    {
        using var folder = new TempFolder();
        string split = folder.File("split");
        Directory.CreateDirectory(split);
        string[] questions = ["你好，请介绍一下退货流程。", "运费怎么算？", "How long does delivery take?"];
        File.WriteAllLines(Path.Combine(split, "train.jsonl"), questions.Select((q, i) => System.Text.Encoding.UTF8.GetString(RecordJson.ToUtf8(
            new CanonicalRecord($"r{i}", [ChatMessage.User(q), ChatMessage.Assistant("参考答案")], i < 2 ? "zh" : "en", new SourceLocation("d.jsonl", i + 1))))));
        var teacherSpec = new TeacherSpec
        {
            BaseUrl = baseUrl, Model = "tiny-r1", MaxTokens = 12, Temperature = 0, MaxConcurrency = 2, RequestTimeoutS = 120,
        };
        // Threshold 0: the random tiny model never agrees with a reference; what is tested is the wire and the bookkeeping.
        var spec = new ReasonSpec { Enabled = true, Samples = 2, Threshold = 0 };

        async Task<ReasonReport> Run(string output)
        {
            var (teacher, connection) = Teachers.Open(teacherSpec, folder.File("teacher-cache"), _ => null);
            using (connection)
            {
                return (await ReasonRun.RunAsync(spec, teacher, split, folder.File(output))).Report;
            }
        }

        ReasonReport first = await Run("out1");
        ReasonReport second = await Run("out2");

        var written = RecordJson.ReadFile(Path.Combine(folder.File("out1"), "train.jsonl")).ToList();
        Assert.Equal(3, first.Accepted);
        Assert.All(written, r => Assert.False(string.IsNullOrWhiteSpace(r.Messages[^1].Reasoning)));
        Assert.All(written, r => Assert.Equal("参考答案", r.Messages[^1].Content));
        Assert.Equal(3, first.Samples);
        Assert.True(first.TokensSpent > 3 * 12, $"tokens spent: {first.TokensSpent}");
        Assert.Equal((0L, 3L, 3), (second.TokensSpent, second.FromCache, second.Accepted));
        Assert.Equal(File.ReadAllText(Path.Combine(folder.File("out1"), "train.jsonl")), File.ReadAllText(Path.Combine(folder.File("out2"), "train.jsonl")));
    }
}
