using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using Tuneforge.Engine.Runtime;
using Tuneforge.Serve.Admission;
using Tuneforge.Serve.Api;
using Tuneforge.Data.Feedback;
using Tuneforge.Serve.Generation;
using Tuneforge.Serve.Hosting;
using Tuneforge.Serve.Observability;
using Tuneforge.Serve.Security;

namespace Tuneforge.Serve;

/// <summary>
/// The HTTP server: Kestrel on loopback by default, the endpoints, limits, authentication, CORS (off unless origins are
/// given), metrics and error handling. <see cref="RunAsync"/> binds first, then loads the model in the background.
/// </summary>
public static class ServeHost
{
    /// <summary>Builds the app around a backend holder; <paramref name="configure"/> may adjust the builder (tests use a test server).</summary>
    public static WebApplication Build(ServeOptions options, BackendHolder holder, Action<WebApplicationBuilder>? configure = null)
    {
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Production,   // never the developer exception page
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // It logs a failed start with a stack trace; the caller reports that failure once, as a sentence.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(holder);
        services.AddSingleton(new ServeClock(DateTimeOffset.UtcNow));
        services.AddSingleton(new AdmissionGate(options.MaxBatchSize + options.MaxQueue, options.MaxBatchSize, options.RequestTimeout));
        services.AddSingleton<ServeMetrics>();
        if (options.FeedbackDatabase is { } database) services.AddSingleton(_ => new FeedbackStore(database));
        services.AddSingleton(provider => new CompletionRunner(options, provider.GetRequiredService<AdmissionGate>(), provider.GetRequiredService<ServeMetrics>(),
            provider.GetService<FeedbackStore>(), provider.GetRequiredService<ILogger<CompletionRunner>>()));
        if (options.CorsOrigins.Count > 0)
            services.AddCors(cors => cors.AddDefaultPolicy(policy => policy.WithOrigins([.. options.CorsOrigins]).WithMethods("GET", "POST").WithHeaders("Authorization", "Content-Type")));
        configure?.Invoke(builder);

        var app = builder.Build();
        var metrics = app.Services.GetRequiredService<ServeMetrics>();
        if (options.FeedbackDatabase is not null) _ = app.Services.GetRequiredService<FeedbackStore>();   // a bad path fails at start, not at the first request
        app.UseMiddleware<RequestMetricsMiddleware>(metrics);
        app.UseExceptionHandler(handler => handler.Run(WriteInternalErrorAsync));
        app.UseStatusCodePages(status => ProblemWriter.WriteAsync(status.HttpContext, ProblemWriter.ForStatus(status.HttpContext.Response.StatusCode, status.HttpContext.Request.Path)));
        if (options.CorsOrigins.Count > 0) app.UseCors();
        if (options.ApiKeys is { } keys) app.UseMiddleware<ApiKeyMiddleware>(keys);
        app.UseMiddleware<ApiErrorMiddleware>();

        app.MapPost(ChatCompletionsEndpoint.Route, ChatCompletionsEndpoint.HandleAsync);
        app.MapPost(GenerateEndpoint.Route, GenerateEndpoint.HandleAsync);
        app.MapPost(FeedbackEndpoint.Route, FeedbackEndpoint.HandleAsync);
        app.MapGet("/v1/models", StatusEndpoints.ModelsAsync);
        app.MapGet("/healthz", StatusEndpoints.HealthAsync);
        app.MapGet("/readyz", StatusEndpoints.ReadyAsync);
        app.MapMetrics("/metrics", metrics.Registry);
        return app;
    }

    /// <summary>
    /// Listens, loads the model, and serves until <paramref name="cancellation"/> fires (Ctrl-C) or the host stops.
    /// A port in use or a model that fails to load is an <see cref="EngineException"/> with what to do.
    /// </summary>
    public static async Task RunAsync(ServeOptions options, BackendLoader loader, Action<string> announce,
        Action<WebApplicationBuilder>? configure = null, CancellationToken cancellation = default)
    {
        await using var server = await StartAsync(options, loader, announce, configure, cancellation);
        await server.Loaded;
        await server.App.WaitForShutdownAsync(cancellation);
    }

    /// <summary>Binds the addresses (failing clearly when one is taken) and starts loading the model in the background:
    /// <see cref="RunningServer.Loaded"/> completes when it is ready, or faults (after stopping the server) when it cannot load.</summary>
    public static async Task<RunningServer> StartAsync(ServeOptions options, BackendLoader loader, Action<string> announce,
        Action<WebApplicationBuilder>? configure = null, CancellationToken cancellation = default)
    {
        var holder = new BackendHolder();
        var app = Build(options, holder, configure);
        try
        {
            await app.StartAsync(cancellation);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            holder.Dispose();
            var inUse = e.InnerException is AddressInUseException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase);
            throw new EngineException(inUse ? $"cannot listen on {string.Join(", ", options.Urls)}: the address is already in use" : $"cannot listen on {string.Join(", ", options.Urls)}: {e.Message}",
                inUse ? "Another server holds the port: stop it, or pass --urls http://127.0.0.1:PORT with a free port." : "Check --urls (e.g. http://127.0.0.1:8000).");
        }
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        announce($"listening on {string.Join(", ", addresses)}; loading the model");
        return new RunningServer(app, holder, addresses, LoadAsync(app, holder, options, loader, announce, cancellation));
    }

    private static async Task LoadAsync(WebApplication app, BackendHolder holder, ServeOptions options, BackendLoader loader, Action<string> announce, CancellationToken cancellation)
    {
        var metrics = app.Services.GetRequiredService<ServeMetrics>();
        var batching = new BatchOptions(options.MaxBatchSize, options.BatchWindow, size => metrics.BatchSize.Observe(size));
        using (var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellation, app.Lifetime.ApplicationStopping))
        {
            try
            {
                await Task.Run(() => holder.LoadAsync(loader, batching, stopping.Token), stopping.Token);
            }
            catch
            {
                await app.StopAsync(CancellationToken.None);
                throw;
            }
        }
        var backend = holder.Backend!;
        metrics.TrackQueue(() => backend.Waiting);
        metrics.ModelInfo.WithLabels(backend.Info.ModelId, backend.Info.Kind, backend.Info.ChatTemplate).Set(1);
        announce($"ready: {backend.Info.ModelId} ({backend.Info.Description}); chat template {backend.Info.ChatTemplate}, context {backend.Info.ContextLength}, " +
            $"batches of up to {options.MaxBatchSize}, queue {options.MaxQueue}{(options.ApiKeys is null ? ", no API keys" : $", {options.ApiKeys.Count} API key(s)")}" +
            $"{(options.FeedbackDatabase is null ? "" : $", feedback in {Path.GetFullPath(options.FeedbackDatabase)}")}" +
            $"{(options.EvaluatedDecoding is null ? "" : $"; evaluated with {options.EvaluatedDecoding} (answers at other sampling settings were not measured)")}");
    }

    // Whatever went wrong inside, the client learns only that it did, and the trace id to find it in the log.
    private static Task WriteInternalErrorAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var apiError = error switch
        {
            CapacityException capacity => RunningCompletion.Busy(capacity),
            _ => new ApiError(500, "Internal error", $"the server failed while handling the request; the server log has the details (trace id {context.TraceIdentifier})"),
        };
        return ProblemWriter.WriteAsync(context, apiError);
    }
}
