using System.Net;
using System.Net.Http.Headers;
using Tuneforge.Serve.Security;
using Tuneforge.Serve.Tests.Support;

namespace Tuneforge.Serve.Tests.Security;

public class AuthTests
{
    private static readonly ServeOptions WithKeys = new() { ApiKeys = ApiKeySet.FromKeys(["key-one-0123456789", "key-two-0123456789"]) };

    private static HttpRequestMessage Generate(string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/generate") { Content = new StringContent("""{"query": "hi"}""") };
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return request;
    }

    [Fact]
    public async Task Without_a_key_the_api_answers_401_with_a_bearer_challenge()
    {
        await using var api = await TestApi.StartAsync(WithKeys);
        var response = await api.Client.SendAsync(Generate(null));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        var problem = await TestApi.JsonAsync(response);
        Assert.Equal(("authentication_error", "missing_api_key"), (problem["error"]!["type"]!.GetValue<string>(), problem["error"]!["code"]!.GetValue<string>()));
        Assert.Empty(api.Backend!.Submitted);
    }

    [Theory]
    [InlineData("Bearer key-one-012345678")]
    [InlineData("Bearer key-one-01234567890")]
    [InlineData("Basic key-one-0123456789")]
    [InlineData("key-one-0123456789")]
    public async Task A_wrong_key_or_scheme_is_401(string authorization)
    {
        await using var api = await TestApi.StartAsync(WithKeys);
        var response = await api.Client.SendAsync(Generate(authorization));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_api_key", (await TestApi.JsonAsync(response))["error"]!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Bearer key-one-0123456789")]
    [InlineData("bearer key-two-0123456789")]
    public async Task Any_configured_key_is_accepted(string authorization)
    {
        await using var api = await TestApi.StartAsync(WithKeys);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.SendAsync(Generate(authorization))).StatusCode);
    }

    [Fact]
    public async Task Health_probes_are_open_and_metrics_and_models_need_the_key()
    {
        await using var api = await TestApi.StartAsync(WithKeys);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Client.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Client.GetAsync("/v1/models")).StatusCode);
        api.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "key-two-0123456789");
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public void Keys_come_from_an_environment_variable_and_a_file()
    {
        using var folder = new TempFolder();
        var file = folder.File("keys.txt");
        File.WriteAllLines(file, ["# the team's key", "file-key-0123456789", ""]);
        var variable = $"TUNEFORGE_TEST_KEYS_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, "env-key-a-0123456789, env-key-b-0123456789");
        try
        {
            var keys = ApiKeySet.FromSources(variable, file)!;
            Assert.Equal(3, keys.Count);
            Assert.True(keys.Accepts("env-key-b-0123456789"));
            Assert.True(keys.Accepts("file-key-0123456789"));
            Assert.False(keys.Accepts("# the team's key"));
            Assert.False(keys.Accepts(""));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
        Assert.Null(ApiKeySet.FromSources(null, null));
    }

    [Fact]
    public void A_named_key_source_that_is_empty_or_missing_refuses_to_start()
    {
        var unset = Assert.Throws<ArgumentException>(() => ApiKeySet.FromSources($"TUNEFORGE_UNSET_{Guid.NewGuid():N}", null));
        Assert.Contains("is not set or empty", unset.Message);
        var missing = Assert.Throws<ArgumentException>(() => ApiKeySet.FromSources(null, "/nonexistent/keys.txt"));
        Assert.Contains("not found", missing.Message);
        var weak = Assert.Throws<ArgumentException>(() => ApiKeySet.FromKeys(["short"]));
        Assert.Contains("shorter than 8", weak.Message);
    }

    [Fact]
    public async Task Cors_is_off_unless_origins_are_configured()
    {
        await using (var closed = await TestApi.StartAsync())
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
            request.Headers.Add("Origin", "https://app.example.com");
            var response = await closed.Client.SendAsync(request);
            Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        }
        await using var open = await TestApi.StartAsync(new ServeOptions { CorsOrigins = ["https://app.example.com"], ApiKeys = WithKeys.ApiKeys });
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/chat/completions");
        preflight.Headers.Add("Origin", "https://app.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        var allowed = await open.Client.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal("https://app.example.com", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var other = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        other.Headers.Add("Origin", "https://evil.example.com");
        Assert.False((await open.Client.SendAsync(other)).Headers.Contains("Access-Control-Allow-Origin"));
    }
}
