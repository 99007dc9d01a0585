using System.Diagnostics;
using Tuneforge.Data.Records;
using Tuneforge.Engine.Tests.TestSupport;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Stages;
using Tuneforge.Targets;
using Tuneforge.Text;

namespace Tuneforge.Engine.Tests.Teaching;

/// <summary><c>teacher.base_url: local</c> through the build's Reason stage: the engine serves the pipeline's base model on
/// loopback for the stage's length, and its answers are cached by the model, not by the port of the day.</summary>
public sealed class LocalTeacherTests
{
    static PipelineStages Stages(ModelSpec model) => new(new PipelineSpec
    {
        Name = "local-teacher",
        Model = model,
        Teacher = new TeacherSpec { BaseUrl = TeacherSpec.Local, MaxTokens = 8, Temperature = 0, MaxConcurrency = 2, RequestTimeoutS = 120 },
        // Threshold 0: the random tiny model never reaches a reference; the wire, the server's life and the cache are tested.
        Reason = new ReasonSpec { Enabled = true, Samples = 1, Threshold = 0 },
    }, WorkerProcess.Root, "pipelines/local-teacher.yaml", CancellationToken.None);

    static string WriteSplit(TempDirectory directory)
    {
        var split = directory.File("split");
        Directory.CreateDirectory(split);
        string[] questions = ["你好，请介绍一下退货流程。", "运费怎么算？", "How long does delivery take?"];
        File.WriteAllLines(Path.Combine(split, "train.jsonl"), questions.Select((q, i) => System.Text.Encoding.UTF8.GetString(RecordJson.ToUtf8(
            new CanonicalRecord($"r{i}", [ChatMessage.User(q), ChatMessage.Assistant("参考答案")], "zh", new SourceLocation("d.jsonl", i + 1))))));
        return split;
    }

    [Fact]
    public async Task Reason_asks_the_pipelines_own_model_and_a_second_run_on_another_port_asks_nothing()
    {
        using var directory = new TempDirectory();
        var split = WriteSplit(directory);
        // A system prompt of its own gives this run a teacher identity of its own: the shared teacher cache holds nothing for it.
        // Tuneforge's deepseek-r1 template opens <think> in the generation prompt, so even the random model's answer is reasoning.
        var model = new ModelSpec { Source = "preset:tiny-r1", NumThreads = 2, ChatTemplate = "deepseek-r1", SystemPrompt = $"test {Guid.NewGuid():N}" };

        var first = await Stages(model).Reason(split, directory.File("out1"));
        var second = await Stages(model).Reason(split, directory.File("out2"));

        Assert.Equal("3/3", first.Pairs.Single(p => p.Key == "accepted").Value);
        Assert.True(long.Parse(first.Pairs.Single(p => p.Key == "tokens").Value) > 3 * 8, first.Pairs.Single(p => p.Key == "tokens").Value);
        Assert.Equal("0", second.Pairs.Single(p => p.Key == "tokens").Value);
        var written = RecordJson.ReadFile(Path.Combine(directory.File("out1"), "train.jsonl")).ToList();
        Assert.All(written, r => Assert.False(string.IsNullOrWhiteSpace(r.Messages[^1].Reasoning)));
        Assert.Equal(File.ReadAllText(Path.Combine(directory.File("out1"), "train.jsonl")), File.ReadAllText(Path.Combine(directory.File("out2"), "train.jsonl")));
        Assert.DoesNotContain(Stages(model).TeacherIdentity, "127.0.0.1");
        Assert.Empty(ServersOf(WorkerProcess.Root));
    }

    [Fact]
    public async Task A_local_teacher_that_cannot_load_fails_the_stage_with_the_engines_message_and_leaves_no_server()
    {
        using var directory = new TempDirectory();
        var split = WriteSplit(directory);
        var missing = directory.File("no-such-model");

        var error = await Assert.ThrowsAsync<BuildException>(() => Stages(new ModelSpec { Source = missing }).Reason(split, directory.File("out")));

        Assert.Contains($"{missing}: model folder not found", error.Message);
        Assert.Empty(ServersOf(WorkerProcess.Root));
    }

    // Engine servers started for a local teacher (their job lies in .nuke/temp/teacher-serve).
    static IEnumerable<int> ServersOf(string root)
    {
        var job = Path.Combine(root, ".nuke", "temp", "teacher-serve");
        foreach (var process in Process.GetProcessesByName("dotnet"))
        {
            string commandLine;
            try
            {
                commandLine = File.ReadAllText($"/proc/{process.Id}/cmdline").Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue;
            }
            if (commandLine.Contains(job, StringComparison.Ordinal)) yield return process.Id;
        }
    }
}
