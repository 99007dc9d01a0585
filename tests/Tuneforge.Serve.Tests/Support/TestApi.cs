using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Tuneforge.Serve.Generation;
using Tuneforge.Serve.Hosting;

namespace Tuneforge.Serve.Tests.Support;

/// <summary>A server in the test process: on the in-memory test server, or on Kestrel at a free loopback port.</summary>
internal sealed class TestApi : IAsyncDisposable
{
    private TestApi(RunningServer server, HttpClient client, ScriptedBackend? backend)
    {
        Server = server;
        Client = client;
        Backend = backend;
    }

    public RunningServer Server { get; }
    public HttpClient Client { get; }
    public ScriptedBackend? Backend { get; }
    public Uri BaseAddress => Client.BaseAddress!;
    /// <summary>No generation holds an admission: each finished one has also left the in-flight gauge.</summary>
    public bool Idle => Server.App.Services.GetService(typeof(Tuneforge.Serve.Admission.AdmissionGate)) is Tuneforge.Serve.Admission.AdmissionGate { Held: 0 };

    /// <summary>A server over a <see cref="ScriptedBackend"/> made with the server's batching options.</summary>
    public static Task<TestApi> StartAsync(ServeOptions? options = null, Func<BatchOptions, ScriptedBackend>? backend = null, bool kestrel = false)
    {
        ScriptedBackend? made = null;
        backend ??= batching => new ScriptedBackend(batching);
        return StartAsync(options, (batching, _) => Task.FromResult<IGenerationBackend>(made = backend(batching)), kestrel, () => made);
    }

    public static async Task<TestApi> StartAsync(ServeOptions? options, BackendLoader loader, bool kestrel = false, Func<ScriptedBackend?>? scripted = null, bool waitForModel = true)
    {
        options ??= new ServeOptions();
        options = options with { Urls = ["http://127.0.0.1:0"] };
        var server = await ServeHost.StartAsync(options, loader, _ => { }, builder =>
        {
            if (!kestrel) builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
        });
        if (waitForModel) await server.Loaded;
        var client = kestrel
            ? new HttpClient { BaseAddress = new Uri(server.Addresses.Single()) }
            : server.App.GetTestClient();
        return new TestApi(server, client, scripted?.Invoke());
    }

    public Task<HttpResponseMessage> PostAsync(string path, string json) =>
        Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> PostAsync(string path, JsonNode body) => PostAsync(path, body.ToJsonString());

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
