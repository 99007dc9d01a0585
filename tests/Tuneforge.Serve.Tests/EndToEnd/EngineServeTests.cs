using System.ClientModel;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using Tuneforge.Serve.Generation;
using Tuneforge.Serve.Tests.Support;
using Tuneforge.Text;

namespace Tuneforge.Serve.Tests.EndToEnd;

/// <summary>The real TorchSharp engine behind <c>tuneforge-engine serve</c>, driven over loopback by the official OpenAI client and plain HTTP.</summary>
public class EngineServeTests(EngineServerFixture engine) : IClassFixture<EngineServerFixture>
{
    private HttpClient Http() => new() { BaseAddress = engine.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };

    private ChatClient OpenAi() => new("tiny-r1", new ApiKeyCredential("unused-without-keys"),
        new OpenAIClientOptions { Endpoint = new Uri(engine.BaseAddress, "/v1"), NetworkTimeout = TimeSpan.FromMinutes(2) });

    private static JsonObject Greedy(string question, int maxTokens, bool stream = false) => new()
    {
        ["model"] = "tiny-r1",
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = question }),
        ["max_tokens"] = maxTokens,
        ["temperature"] = 0,
        ["repetition_penalty"] = 3.0,
        ["stream"] = stream,
    };

    private static async Task<(string Reasoning, string Content, int Tokens)> CompleteAsync(HttpClient http, JsonObject body)
    {
        var response = await http.PostAsJsonAsync("/v1/chat/completions", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var message = json["choices"]![0]!["message"]!;
        return (message["reasoning_content"]?.GetValue<string>() ?? "", message["content"]!.GetValue<string>(), json["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_official_client_gets_the_same_text_streamed_and_whole()
    {
        var client = OpenAi();
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 16, Temperature = 0f };
        ChatCompletion whole = await client.CompleteChatAsync([new UserChatMessage("你好，请介绍一下退货流程。")], options);
        Assert.Equal(ChatFinishReason.Length, whole.FinishReason);
        Assert.Equal(16, whole.Usage.OutputTokenCount);
        Assert.True(whole.Usage.InputTokenCount > 5);

        var streamed = "";
        var chunks = 0;
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("你好，请介绍一下退货流程。")], options))
        {
            chunks++;
            streamed += string.Concat(update.ContentUpdate.Select(p => p.Text));
            usage ??= update.Usage;
        }
        Assert.Equal(whole.Content.FirstOrDefault()?.Text ?? "", streamed);
        Assert.Equal(16, usage!.OutputTokenCount);
        Assert.True(chunks >= 3, $"{chunks} chunks");
    }

    [Fact]
    public async Task Greedy_text_equals_the_engines_own_generate_verb()
    {
        const string question = "How long does an invoice take? 发票多久能开？";
        var prompts = engine.Folder.File("prompts.jsonl");
        await File.WriteAllTextAsync(prompts, new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = question }) }.ToJsonString() + "\n");
        var (code, generate) = await EngineProcess.RunAsync(TimeSpan.FromMinutes(2), "generate", "--model", engine.ModelDirectory, "--prompts", prompts, "--chat-template", "deepseek-r1",
            "--greedy", "--repetition-penalty", "3", "--max-new-tokens", "24", "--threads", "2");
        List<int> ids;
        await using (generate)
        {
            Assert.True(code == 0, generate.Describe());
            ids = generate.Events.Where(e => e["event"]!.GetValue<string>() == "token").Select(e => e["token_id"]!.GetValue<int>()).ToList();
        }
        var tokenizer = HfTokenizer.Load(engine.ModelDirectory);
        var text = tokenizer.Decode(ids.Where(id => id != 1), skipSpecialTokens: true);
        var expected = new ReasoningStream(thinkOpened: true);
        expected.Push(text);
        expected.Finish();

        using var http = Http();
        var (reasoning, content, tokens) = await CompleteAsync(http, Greedy(question, 24));
        Assert.Equal(ids.Count, tokens);
        Assert.Equal(expected.Reasoning, reasoning);
        Assert.Equal(expected.Answer, content);
        Assert.True(ids.Distinct().Count() > 3, "the penalty should make the random model say more than one word");
    }

    [Theory]
    [InlineData(0)]    // the model's top_p 0.95 over a flat random distribution: the whole vocabulary is sorted
    [InlineData(20)]   // top_k 20: sampled from a short list
    public async Task A_seeded_sampled_request_repeats_and_another_seed_differs(int topK)
    {
        using var http = Http();
        JsonObject Sampled(long seed) => new()
        {
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "tell me something" }),
            ["max_tokens"] = 12, ["top_k"] = topK, ["seed"] = seed,
        };
        var first = await CompleteAsync(http, Sampled(11));
        var again = await CompleteAsync(http, Sampled(11));
        var other = await CompleteAsync(http, Sampled(12));
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task Sampling_cut_to_the_single_most_likely_token_is_greedy_on_every_sampler_path()
    {
        using var http = Http();
        var greedy = await CompleteAsync(http, Greedy("tell me about returns", 10));
        JsonObject Cut(string setting, JsonNode value)
        {
            var body = Greedy("tell me about returns", 10);
            body["temperature"] = 1.5;
            body["seed"] = 3;
            body[setting] = value;
            return body;
        }
        Assert.Equal(greedy, await CompleteAsync(http, Cut("top_k", 1)));        // the short list of the k most likely
        Assert.Equal(greedy, await CompleteAsync(http, Cut("top_p", 1e-6)));     // drawn and rejected, then the sorted vocabulary
    }

    [Fact]
    public async Task Concurrent_requests_are_batched_with_left_padding_and_answer_as_alone()
    {
        using var http = Http();
        string[] questions = ["hi", "What is the return policy for opened electronics?", "发票", "Can I change the delivery address after paying?"];
        var alone = new List<(string, string, int)>();
        foreach (var question in questions) alone.Add(await CompleteAsync(http, Greedy(question, 12)));
        var before = await BatchStatsAsync(http);
        var together = await Task.WhenAll(questions.Select(q => CompleteAsync(http, Greedy(q, 12))));
        var after = await BatchStatsAsync(http);
        Assert.Equal(alone, together);
        var batches = after.Count - before.Count;
        var requests = after.Sum - before.Sum;
        Assert.Equal(4, requests);
        Assert.True(batches < 4, $"4 concurrent requests ran in {batches} batches");
    }

    [Fact]
    public async Task Generation_stops_when_the_client_disconnects()
    {
        using var http = Http();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(Greedy("tell me a long story", 3000, stream: true)) })
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var stream = await response.Content.ReadAsStreamAsync();
            await stream.ReadExactlyAsync(new byte[400]);   // a few chunks in, the client leaves
        }
        // 3,000 tokens would take minutes on this model; a stopped generation leaves nothing in flight within seconds.
        for (var i = 0; i < 100 && await GaugeAsync(http, "tuneforge_requests_in_flight") > 0; i++) await Task.Delay(100);
        Assert.Equal(0, await GaugeAsync(http, "tuneforge_requests_in_flight"));
    }

    [Fact]
    public async Task Feedback_given_over_http_is_exported_by_the_cli_as_a_dataset()
    {
        using var http = Http();
        var completion = await (await http.PostAsJsonAsync("/generate", new JsonObject { ["query"] = "发票多久能开？", ["max_length"] = 8 })).Content.ReadFromJsonAsync<JsonObject>();
        var id = completion!["id"]!.GetValue<string>();
        var rated = await http.PostAsJsonAsync("/feedback", new JsonObject { ["response_id"] = id, ["rating"] = 2, ["correction"] = "三个工作日内开具。" });
        Assert.Equal(HttpStatusCode.Created, rated.StatusCode);

        var dataset = engine.Folder.File("feedback.jsonl");
        var (code, export) = await EngineProcess.RunAsync(TimeSpan.FromMinutes(1), "serve", "--export-feedback", dataset, "--feedback-db", engine.FeedbackDatabase);
        await using (export)
        {
            Assert.True(code == 0, export.Describe());
        }
        var record = File.ReadLines(dataset).Select(l => JsonNode.Parse(l)!.AsObject()).Single(r => r["response_id"]!.GetValue<string>() == id);
        Assert.Equal(["发票多久能开？", "三个工作日内开具。"], record["messages"]!.AsArray().Select(m => m!["content"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_second_server_on_a_taken_port_exits_saying_so()
    {
        var (code, second) = await EngineProcess.RunAsync(TimeSpan.FromMinutes(1), "serve", "--model", engine.ModelDirectory, "--urls", engine.BaseAddress.ToString().TrimEnd('/'), "--no-feedback");
        await using (second)
        {
            Assert.Equal(1, code);
            var error = second.Events.Single(e => e["event"]!.GetValue<string>() == "error");
            Assert.Contains("already in use", error["message"]!.GetValue<string>());
            Assert.Contains("--urls", error["hint"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_missing_model_is_reported_before_listening()
    {
        var missing = engine.Folder.File("no-such-model");
        var (code, server) = await EngineProcess.RunAsync(TimeSpan.FromMinutes(1), "serve", "--model", missing, "--urls", $"http://127.0.0.1:{EngineProcess.FreePort()}");
        await using (server)
        {
            Assert.Equal(1, code);
            Assert.Contains($"{missing}: model folder not found", server.Events.Single(e => e["event"]!.GetValue<string>() == "error")["message"]!.GetValue<string>());
            Assert.DoesNotContain(server.Events, e => e["message"]?.GetValue<string>().StartsWith("listening", StringComparison.Ordinal) == true);
        }
    }

    private static async Task<(double Count, double Sum)> BatchStatsAsync(HttpClient http)
    {
        var metrics = await http.GetStringAsync("/metrics");
        return (Metric(metrics, "tuneforge_batch_size_count"), Metric(metrics, "tuneforge_batch_size_sum"));
    }

    private static async Task<double> GaugeAsync(HttpClient http, string name) => Metric(await http.GetStringAsync("/metrics"), name);

    private static double Metric(string metrics, string name) =>
        double.Parse(metrics.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal))[(name.Length + 1)..], CultureInfo.InvariantCulture);
}
