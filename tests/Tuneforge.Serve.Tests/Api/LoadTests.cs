using System.Net;
using System.Text.Json.Nodes;
using Tuneforge.Serve.Tests.Support;

namespace Tuneforge.Serve.Tests.Api;

/// <summary>Batching, the bounded queue, the request timeout and clients that leave, against the scripted backend.</summary>
public class LoadTests
{
    private static string Ask(string question, int maxTokens = 100, bool stream = false) =>
        new JsonObject
        {
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = question }),
            ["max_tokens"] = maxTokens,
            ["stream"] = stream,
        }.ToJsonString();

    [Fact]
    public async Task Concurrent_requests_are_generated_together_in_one_batch()
    {
        var options = new ServeOptions { MaxBatchSize = 4, BatchWindow = TimeSpan.FromMilliseconds(500) };
        await using var api = await TestApi.StartAsync(options);
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => api.PostAsync("/v1/chat/completions", Ask($"q{i}"))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        for (var i = 0; i < 4; i++)
            Assert.Equal($"Answer to q{i}.", (await TestApi.JsonAsync(responses[i]))["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal([4], api.Backend!.Batches);
        var metrics = await api.Client.GetStringAsync("/metrics");
        Assert.Contains("tuneforge_batch_size_sum 4", metrics);
    }

    [Fact]
    public async Task Past_the_queue_requests_get_429_with_retry_after_and_the_admitted_ones_finish()
    {
        var options = new ServeOptions { MaxBatchSize = 1, MaxQueue = 1, BatchWindow = TimeSpan.Zero };
        await using var api = await TestApi.StartAsync(options, b => new ScriptedBackend(b, stepDelay: TimeSpan.FromMilliseconds(40)));
        var admitted = new[] { api.PostAsync("/v1/chat/completions", Ask("first", 5)), api.PostAsync("/v1/chat/completions", Ask("second", 5)) };
        await Poll.Until(() => api.Backend!.Submitted.Count == 2);
        var refused = await api.PostAsync("/v1/chat/completions", Ask("third", 5));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        var problem = await TestApi.JsonAsync(refused);
        Assert.Equal("queue_full", problem["error"]!["code"]!.GetValue<string>());
        Assert.All(await Task.WhenAll(admitted), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var metrics = await api.Client.GetStringAsync("/metrics");
        Assert.Contains("tuneforge_rejected_requests_total{reason=\"queue_full\"} 1", metrics);
        Assert.Contains("tuneforge_http_requests_total{route=\"/v1/chat/completions\",method=\"POST\",status=\"429\"} 1", metrics);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/v1/chat/completions", Ask("fourth", 2))).StatusCode);
    }

    [Fact]
    public async Task A_request_that_could_not_finish_in_time_at_the_current_pace_gets_429_instead_of_timing_out()
    {
        var options = new ServeOptions { MaxBatchSize = 1, MaxQueue = 10, BatchWindow = TimeSpan.Zero, RequestTimeout = TimeSpan.FromSeconds(4) };
        await using var api = await TestApi.StartAsync(options, b => new ScriptedBackend(b, stepDelay: TimeSpan.FromMilliseconds(100)));
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/v1/chat/completions", Ask("pace", 20))).StatusCode);   // ~2 s of service
        var running = api.PostAsync("/v1/chat/completions", Ask("first", 20));
        await Poll.Until(() => api.Backend!.Submitted.Count == 2);
        var refused = await api.PostAsync("/v1/chat/completions", Ask("second", 20));                         // 2 rounds × ~1.7 s × 1.5 > 4 s
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var problem = await TestApi.JsonAsync(refused);
        Assert.Equal("would_time_out", problem["error"]!["code"]!.GetValue<string>());
        Assert.True(refused.Headers.RetryAfter!.Delta >= TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.OK, (await running).StatusCode);
    }

    [Fact]
    public async Task A_generation_past_the_request_timeout_is_503_and_stops()
    {
        var options = new ServeOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) };
        await using var api = await TestApi.StartAsync(options, b => new ScriptedBackend(b, stepDelay: TimeSpan.FromMilliseconds(50)));
        var response = await api.PostAsync("/v1/chat/completions", Ask("slow", 1000));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("timeout", (await TestApi.JsonAsync(response))["error"]!["code"]!.GetValue<string>());
        await Poll.Until(() => api.Backend!.Abandoned == 1);
    }

    [Fact]
    public async Task A_stream_past_the_request_timeout_ends_with_an_error_event()
    {
        var options = new ServeOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) };
        await using var api = await TestApi.StartAsync(options, b => new ScriptedBackend(b, stepDelay: TimeSpan.FromMilliseconds(50)));
        var response = await api.PostAsync("/v1/chat/completions", Ask("slow", 1000, stream: true));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (events, done) = await Sse.ReadAsync(response);
        Assert.True(done);
        Assert.Equal("timeout", events[^1]["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generation_stops_when_the_client_disconnects()
    {
        await using var api = await TestApi.StartAsync(null, b => new ScriptedBackend(b, reply: _ => new string('x', 3000), stepDelay: TimeSpan.FromMilliseconds(20)), kestrel: true);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(Ask("long", 2000, stream: true)) };
        using var response = await api.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        await stream.ReadExactlyAsync(new byte[64]);
        response.Dispose();   // the client goes away mid-stream
        await Poll.Until(() => api.Backend!.Abandoned == 1);
        await Poll.Until(() => api.Idle);
    }
}
