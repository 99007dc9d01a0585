using System.Net;
using System.Text.Json.Nodes;
using Tuneforge.Serve.Generation;
using Tuneforge.Serve.Tests.Support;

namespace Tuneforge.Serve.Tests.Api;

public class ChatCompletionsTests
{
    private static JsonObject Ask(string question, JsonObject? extra = null)
    {
        var body = new JsonObject { ["model"] = "test-model", ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = question }) };
        foreach (var (key, value) in extra ?? []) body[key] = value?.DeepClone();
        return body;
    }

    [Fact]
    public async Task A_completion_returns_the_answer_the_reasoning_apart_and_token_usage()
    {
        await using var api = await TestApi.StartAsync();
        var response = await api.PostAsync("/v1/chat/completions", Ask("发票多久能开？"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await TestApi.JsonAsync(response);
        Assert.StartsWith("chatcmpl-", json["id"]!.GetValue<string>());
        Assert.Equal("chat.completion", json["object"]!.GetValue<string>());
        Assert.Equal("test-model", json["model"]!.GetValue<string>());
        var choice = json["choices"]![0]!;
        Assert.Equal("assistant", choice["message"]!["role"]!.GetValue<string>());
        Assert.Equal("Answer to 发票多久能开？.", choice["message"]!["content"]!.GetValue<string>());
        Assert.Equal("The user asks: 发票多久能开？", choice["message"]!["reasoning_content"]!.GetValue<string>());
        Assert.Equal("stop", choice["finish_reason"]!.GetValue<string>());
        var tokens = api.Backend!.TokensFor("发票多久能开？").Count + 1;   // and the end-of-sequence token
        var promptTokens = "<｜begin▁of▁sentence｜><｜User｜>发票多久能开？<｜Assistant｜><think>\n".EnumerateRunes().Count();
        Assert.Equal(promptTokens, json["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(tokens, json["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.Equal(promptTokens + tokens, json["usage"]!["total_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Streaming_sends_role_reasoning_and_content_chunks_then_the_finish_usage_and_done()
    {
        await using var api = await TestApi.StartAsync();
        var response = await api.PostAsync("/v1/chat/completions",
            Ask("hi", new JsonObject { ["stream"] = true, ["stream_options"] = new JsonObject { ["include_usage"] = true } }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var (events, done) = await Sse.ReadAsync(response);
        Assert.True(done);
        Assert.All(events, e => Assert.Equal("chat.completion.chunk", e["object"]!.GetValue<string>()));
        Assert.Single(events.Select(e => e["id"]!.GetValue<string>()).Distinct());
        Assert.Equal("assistant", events[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        Assert.Equal("The user asks: hi", Sse.Join(events, "reasoning_content"));
        Assert.Equal("Answer to hi.", Sse.Join(events, "content"));
        Assert.Equal("stop", events[^2]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Empty(events[^1]["choices"]!.AsArray());
        Assert.Equal(api.Backend!.TokensFor("hi").Count + 1, events[^1]["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Max_tokens_cuts_the_generation_with_finish_reason_length()
    {
        await using var api = await TestApi.StartAsync();
        var json = await TestApi.JsonAsync(await api.PostAsync("/v1/chat/completions", Ask("hi", new JsonObject { ["max_tokens"] = 3 })));
        Assert.Equal("length", json["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(3, json["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.Equal(string.Concat(api.Backend!.TokensFor("hi").Take(3)), json["choices"]![0]!["message"]!["reasoning_content"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_stop_string_ends_the_answer_before_it_in_both_modes()
    {
        await using var api = await TestApi.StartAsync();
        var stop = new JsonObject { ["stop"] = new JsonArray("to q"), ["max_completion_tokens"] = 100 };
        var json = await TestApi.JsonAsync(await api.PostAsync("/v1/chat/completions", Ask("question", stop)));
        Assert.Equal("Answer ", json["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", json["choices"]![0]!["finish_reason"]!.GetValue<string>());

        stop["stream"] = true;
        var (events, _) = await Sse.ReadAsync(await api.PostAsync("/v1/chat/completions", Ask("question", stop)));
        Assert.Equal("Answer ", Sse.Join(events, "content"));
    }

    [Fact]
    public async Task Sampling_settings_reach_the_backend_and_the_model_defaults_fill_the_rest()
    {
        var defaults = new SamplingDefaults(Temperature: 0.6, TopP: 0.95);
        await using var api = await TestApi.StartAsync(backend: b => new ScriptedBackend(b, defaults: defaults));
        await api.PostAsync("/v1/chat/completions", Ask("a", new JsonObject { ["temperature"] = 0, ["seed"] = 7, ["top_k"] = 5, ["repetition_penalty"] = 1.1, ["max_tokens"] = 9 }));
        await api.PostAsync("/v1/chat/completions", Ask("b"));
        var submitted = api.Backend!.Submitted.ToArray();
        Assert.Equal((0.0, 0.95, 5, 1.1, 7L, 9), (submitted[0].Temperature, submitted[0].TopP, submitted[0].TopK, submitted[0].RepetitionPenalty, submitted[0].Seed, submitted[0].MaxTokens));
        Assert.Equal((0.6, 0.95, 512), (submitted[1].Temperature, submitted[1].TopP, submitted[1].MaxTokens));
    }

    [Fact]
    public async Task Content_given_as_text_parts_and_a_developer_message_are_accepted()
    {
        await using var api = await TestApi.StartAsync();
        var body = JsonNode.Parse("""
            {"messages": [{"role": "developer", "content": "Be brief."},
                          {"role": "user", "content": [{"type": "text", "text": "par"}, {"type": "text", "text": "ts"}]}]}
            """)!;
        var json = await TestApi.JsonAsync(await api.PostAsync("/v1/chat/completions", body));
        Assert.Equal("Answer to parts.", json["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_model_name_is_404_naming_the_model_served()
    {
        await using var api = await TestApi.StartAsync();
        var body = Ask("hi");
        body["model"] = "gpt-4o";
        var response = await api.PostAsync("/v1/chat/completions", body);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await TestApi.JsonAsync(response);
        Assert.Contains("test-model", problem["detail"]!.GetValue<string>());
        Assert.Equal("model", problem["error"]!["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task Models_lists_the_served_model()
    {
        await using var api = await TestApi.StartAsync();
        var json = await TestApi.JsonAsync(await api.Client.GetAsync("/v1/models"));
        Assert.Equal("list", json["object"]!.GetValue<string>());
        var model = json["data"]!.AsArray().Single()!;
        Assert.Equal(("test-model", "model", "scripted", 4096), (model["id"]!.GetValue<string>(), model["object"]!.GetValue<string>(),
            model["backend"]!.GetValue<string>(), model["context_length"]!.GetValue<int>()));
    }
}
