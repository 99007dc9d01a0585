using System.Net;
using System.Net.Sockets;
using Tuneforge.Pipeline.Spec;
using Tuneforge.Protocol;
using Tuneforge.Targets;

namespace Tuneforge.Stages.Engine;

/// <summary>
/// <c>teacher.base_url: local</c>: the pipeline's base model served by the engine (<c>serve --job</c>, the Serve stage's
/// own job) on a free loopback port for as long as a stage asks it, sized so the teacher's settings fit its limits.
/// </summary>
internal sealed class LocalTeacherServer : IAsyncDisposable
{
    static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    readonly CancellationTokenSource _stop;
    readonly Task<EngineRun> _run;

    LocalTeacherServer(string baseUrl, CancellationTokenSource stop, Task<EngineRun> run)
    {
        BaseUrl = baseUrl;
        _stop = stop;
        _run = run;
    }

    /// <summary>The OpenAI-compatible base URL, up to and including /v1.</summary>
    public string BaseUrl { get; }

    /// <exception cref="BuildException">The server stopped before it was ready (the engine's error says why).</exception>
    public static async Task<LocalTeacherServer> StartAsync(PipelineSpec spec, EngineClient engine, string rootDirectory, CancellationToken cancellation)
    {
        var teacher = spec.Teacher;
        var defaults = new ServeSpec();
        var url = $"http://127.0.0.1:{FreePort()}";
        var serve = defaults with
        {
            Urls = url,
            Feedback = false,
            MaxBatchSize = Math.Min(teacher.MaxConcurrency, 1024),
            MaxQueue = Math.Max(defaults.MaxQueue, teacher.MaxConcurrency),
            MaxTokensLimit = Math.Max(defaults.MaxTokensLimit, teacher.MaxTokens),
            RequestTimeoutSeconds = Math.Max(defaults.RequestTimeoutSeconds, (int)Math.Ceiling(teacher.RequestTimeoutS)),
        };
        var job = ServeStage.Job(spec with { Serve = serve }, new ServedWeights(ServeStage.ModelInput, null, null, spec.Model.Source), null, rootDirectory);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var run = engine.RunAsync(job, Path.Combine(rootDirectory, ".nuke", "temp", "teacher-serve"), e =>
        {
            if (e is LogEvent { Message: var message } && message.StartsWith("ready:", StringComparison.Ordinal)) ready.TrySetResult();
        }, stopGrace: StopGrace, cancellation: stop.Token);
        Log.Information($"teacher: {spec.Model.Source} served by the engine on {url} while the stage asks it");
        if (await Task.WhenAny(ready.Task, run) == run)
        {
            stop.Dispose();
            await run;   // an engine error is thrown here as the build's error
            throw new BuildException($"The local teacher's server ({spec.Model.Source} on {url}) stopped before it was ready; its output is above.");
        }
        return new LocalTeacherServer(url + "/v1", stop, run);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
            // stopped as asked
        }
        _stop.Dispose();
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
