using Tuneforge.Pipeline.Spec;
using Tuneforge.Protocol;
using Tuneforge.Serve.Tests.Support;

namespace Tuneforge.Serve.Tests.EndToEnd;

/// <summary><c>serve --job</c> as the Serve stage starts it: the pipeline's sections, and the ready line that tells a client how the model was evaluated.</summary>
public class ServeJobTests
{
    [Fact]
    public async Task The_ready_line_states_the_decoding_the_pipeline_evaluated_with()
    {
        using var folder = new TempFolder();
        var port = EngineProcess.FreePort();
        var spec = new PipelineSpec
        {
            Name = "support",
            Model = new ModelSpec { Source = "preset:tiny-r1", NumThreads = 2 },
            Evaluate = new EvaluateSpec { MaxNewTokens = 64 },
            Serve = new ServeSpec { Urls = $"http://127.0.0.1:{port}", Feedback = false },
        };
        var job = ServeStage.Job(spec, new ServedWeights(ServeStage.ModelInput, null, null, "preset:tiny-r1"), null, folder.Path).Write(folder.Path);

        await using var server = EngineProcess.Start("serve", "--job", job);
        await server.WaitUntilReadyAsync(TimeSpan.FromMinutes(2));
        var ready = server.Events.Select(e => e["message"]?.GetValue<string>()).OfType<string>().Single(m => m.StartsWith("ready:", StringComparison.Ordinal));
        Assert.Contains("; evaluated with greedy decoding, at most 64 new tokens (answers at other sampling settings were not measured)", ready);
    }

    [Fact]
    public async Task A_gguf_file_is_served_from_the_job_only_when_it_carries_the_pipelines_template()
    {
        using var folder = new TempFolder();
        using var gguf = new TinyGguf();   // carries the DeepSeek tokenizer's own template
        PipelineSpec Spec(string template, int port) => new()
        {
            Name = "support",
            Model = new ModelSpec { Source = "preset:tiny-r1", NumThreads = 2, ChatTemplate = template },
            Serve = new ServeSpec { Urls = $"http://127.0.0.1:{port}", Feedback = false, Backend = "gguf" },
        };
        var weights = new ServedWeights(ServeStage.GgufInput, gguf.Path, null, gguf.Path);

        var port = EngineProcess.FreePort();
        var same = ServeStage.Job(Spec("tokenizer", port), weights, null, folder.Path).Write(Directory.CreateDirectory(folder.File("same")).FullName);
        await using (var server = EngineProcess.Start("serve", "--job", same))
        {
            await server.WaitUntilReadyAsync(TimeSpan.FromMinutes(2));
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            Assert.Contains("\"chat_template\":\"tokenizer\"", await client.GetStringAsync("/v1/models"));
        }

        var other = ServeStage.Job(Spec("deepseek-r1", EngineProcess.FreePort()), weights, null, folder.Path).Write(Directory.CreateDirectory(folder.File("other")).FullName);
        var (exitCode, refused) = await EngineProcess.RunAsync(TimeSpan.FromMinutes(2), "serve", "--job", other);
        await using (refused)
        {
            Assert.NotEqual(0, exitCode);
            var error = refused.Events.Single(e => e["event"]!.GetValue<string>() == "error")["message"]!.GetValue<string>();
            Assert.StartsWith($"{gguf.Path} tokenizer.chat_template: the chat template differs from the one the model was trained with", error);
        }
    }
}
