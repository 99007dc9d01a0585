using System.Net;
using Tuneforge.Serve.Generation;
using Tuneforge.Serve.Tests.Support;

namespace Tuneforge.Serve.Tests.Api;

public class StatusAndMetricsTests
{
    [Fact]
    public async Task Readyz_is_503_while_the_model_loads_and_200_once_ready_while_healthz_answers_throughout()
    {
        var release = new TaskCompletionSource();
        ScriptedBackend? backend = null;
        await using var api = await TestApi.StartAsync(null, async (batching, _) =>
        {
            await release.Task;
            return backend = new ScriptedBackend(batching);
        }, waitForModel: false);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/healthz")).StatusCode);
        var loading = await api.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, loading.StatusCode);
        Assert.Equal("loading", (await TestApi.JsonAsync(loading))["status"]!.GetValue<string>());
        var early = await api.PostAsync("/generate", """{"query": "q"}""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), early.Headers.RetryAfter!.Delta);

        release.SetResult();
        await api.Server.Loaded;
        var ready = await TestApi.JsonAsync(await api.Client.GetAsync("/readyz"));
        Assert.Equal(("ready", "test-model"), (ready["status"]!.GetValue<string>(), ready["model"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/generate", """{"query": "q"}""")).StatusCode);
    }

    [Fact]
    public async Task A_model_that_fails_to_load_faults_loaded_and_readyz_says_failed()
    {
        var api = await TestApi.StartAsync(null, (_, _) => Task.FromException<IGenerationBackend>(new InvalidOperationException("broken weights")), waitForModel: false);
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => api.Server.Loaded);
        Assert.Equal("broken weights", failure.Message);
        Assert.Equal(Tuneforge.Serve.Hosting.BackendState.Failed, api.Server.Holder.State);
        await api.DisposeAsync();
    }

    [Fact]
    public async Task Metrics_expose_the_listed_series_in_prometheus_format()
    {
        await using var api = await TestApi.StartAsync();
        await api.PostAsync("/v1/chat/completions", """{"messages": [{"role": "user", "content": "hi"}]}""");
        await api.PostAsync("/generate", """{"query": "hi", "max_length": 3}""");
        await api.PostAsync("/generate", "{}");
        await api.Client.GetAsync("/nowhere/42");
        // A generation leaves the in-flight gauge in the continuation that then releases its admission: wait for that.
        await Poll.Until(() => api.Idle);
        var response = await api.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType);
        var metrics = await response.Content.ReadAsStringAsync();
        Assert.Contains("tuneforge_http_requests_total{route=\"/v1/chat/completions\",method=\"POST\",status=\"200\"} 1", metrics);
        Assert.Contains("tuneforge_http_requests_total{route=\"/generate\",method=\"POST\",status=\"200\"} 1", metrics);
        Assert.Contains("tuneforge_http_requests_total{route=\"/generate\",method=\"POST\",status=\"400\"} 1", metrics);
        Assert.Contains("tuneforge_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1", metrics);
        Assert.Contains("tuneforge_http_request_duration_seconds_count{route=\"/generate\"} 2", metrics);
        Assert.Contains("tuneforge_time_to_first_token_seconds_count{route=\"/v1/chat/completions\"} 1", metrics);
        Assert.Contains("tuneforge_time_to_first_token_seconds_count{route=\"/generate\"} 1", metrics);
        var generated = api.Backend!.TokensFor("hi").Count + 1 + 3;
        Assert.Contains($"tuneforge_generated_tokens_total {generated}", metrics);
        Assert.Contains("tuneforge_generation_tokens_per_second_count 2", metrics);
        Assert.Contains("tuneforge_queue_depth 0", metrics);
        Assert.Contains("tuneforge_requests_in_flight 0", metrics);
        Assert.Contains("tuneforge_model_info{model=\"test-model\",backend=\"scripted\",template=\"deepseek-r1\"} 1", metrics);
        Assert.DoesNotContain("/nowhere", metrics);
    }
}
