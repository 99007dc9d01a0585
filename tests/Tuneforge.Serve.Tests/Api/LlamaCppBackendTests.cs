using System.Net;
using System.Text.Json.Nodes;
using Tuneforge.Serve.Generation;
using Tuneforge.Serve.LlamaCpp;
using Tuneforge.Serve.Tests.Support;

namespace Tuneforge.Serve.Tests.Api;

/// <summary>The same API over a GGUF file served by llama.cpp (LLamaSharp), with the engine's chat template and batching.</summary>
public class LlamaCppBackendTests(TinyGguf gguf) : IClassFixture<TinyGguf>
{
    private Task<TestApi> StartAsync(ServeOptions? options = null) =>
        TestApi.StartAsync(options ?? new ServeOptions { MaxBatchSize = 4 },
            (batching, _) => Task.FromResult<IGenerationBackend>(LlamaCppBackend.Load(new GgufModelRequest(gguf.Path, Threads: 2, ContextPerRequest: 256), batching, _ => { })));

    private static JsonObject Greedy(string question, int maxTokens, bool stream = false) => new()
    {
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = question }),
        ["max_tokens"] = maxTokens,
        ["temperature"] = 0,
        ["stream"] = stream,
    };

    private static string Text(JsonObject completion)
    {
        var message = completion["choices"]![0]!["message"]!;
        return (message["reasoning_content"]?.GetValue<string>() ?? "") + "|" + message["content"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_gguf_file_is_served_with_its_own_template_and_prompt_tokens_as_the_engine_counts_them()
    {
        await using var api = await StartAsync();
        var models = await TestApi.JsonAsync(await api.Client.GetAsync("/v1/models"));
        var model = models["data"]![0]!;
        Assert.Equal(("tiny-r1", "gguf", "tokenizer", 256), (model["id"]!.GetValue<string>(), model["backend"]!.GetValue<string>(),
            model["chat_template"]!.GetValue<string>(), model["context_length"]!.GetValue<int>()));

        var response = await api.PostAsync("/v1/chat/completions", Greedy("请问发票多久能开？How long?", 12));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await TestApi.JsonAsync(response);
        var expectedPrompt = Tuneforge.Text.JinjaChatTemplate.FromTokenizer(gguf.Tokenizer).RenderPrompt([Tuneforge.Text.ChatMessage.User("请问发票多久能开？How long?")], gguf.Tokenizer);
        Assert.Equal(expectedPrompt.Length, json["usage"]!["prompt_tokens"]!.GetValue<int>());
        var finish = json["choices"]![0]!["finish_reason"]!.GetValue<string>();
        var generated = json["usage"]!["completion_tokens"]!.GetValue<int>();
        Assert.True(finish == "length" ? generated == 12 : generated < 12, $"{finish} after {generated} tokens");
    }

    [Fact]
    public async Task Greedy_output_is_the_same_twice_and_streamed_the_same_as_whole()
    {
        await using var api = await StartAsync();
        var first = Text(await TestApi.JsonAsync(await api.PostAsync("/v1/chat/completions", Greedy("hello", 16))));
        var second = Text(await TestApi.JsonAsync(await api.PostAsync("/v1/chat/completions", Greedy("hello", 16))));
        Assert.Equal(first, second);
        var (events, done) = await Sse.ReadAsync(await api.PostAsync("/v1/chat/completions", Greedy("hello", 16, stream: true)));
        Assert.True(done);
        Assert.Equal(first, Sse.Join(events, "reasoning_content") + "|" + Sse.Join(events, "content"));
    }

    [Fact]
    public async Task Concurrent_requests_share_decode_steps_and_each_gets_its_own_sequence()
    {
        await using var api = await StartAsync();
        string[] questions = ["one", "two", "three", "four"];
        var alone = new List<string>();
        foreach (var question in questions)
            alone.Add(Text(await TestApi.JsonAsync(await api.PostAsync("/v1/chat/completions", Greedy(question, 24)))));
        var together = await Task.WhenAll(questions.Select(async q => Text(await TestApi.JsonAsync(await api.PostAsync("/v1/chat/completions", Greedy(q, 24))))));
        Assert.Equal(alone, together);
        var metrics = await api.Client.GetStringAsync("/metrics");
        var steps = ParseMetric(metrics, "tuneforge_batch_size_count");
        var sequenceSteps = ParseMetric(metrics, "tuneforge_batch_size_sum");
        Assert.True(sequenceSteps > steps, $"some steps should decode several sequences ({sequenceSteps} sequence-steps in {steps} steps)");
    }

    [Fact]
    public async Task A_seeded_sampled_request_repeats_and_another_seed_differs()
    {
        await using var api = await StartAsync();
        JsonObject Sampled(long seed) => new()
        {
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "tell me" }),
            ["max_tokens"] = 16, ["temperature"] = 1.0, ["top_p"] = 0.9, ["seed"] = seed,
        };
        var a = Text(await TestApi.JsonAsync(await api.PostAsync("/v1/chat/completions", Sampled(1))));
        var b = Text(await TestApi.JsonAsync(await api.PostAsync("/v1/chat/completions", Sampled(1))));
        var c = Text(await TestApi.JsonAsync(await api.PostAsync("/v1/chat/completions", Sampled(2))));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    private static double ParseMetric(string metrics, string name) =>
        double.Parse(metrics.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal))[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
