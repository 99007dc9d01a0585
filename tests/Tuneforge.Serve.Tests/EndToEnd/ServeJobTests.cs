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
}
