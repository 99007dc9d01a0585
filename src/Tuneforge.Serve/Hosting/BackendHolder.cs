using Tuneforge.Serve.Api;
using Tuneforge.Serve.Generation;

namespace Tuneforge.Serve.Hosting;

public enum BackendState { Loading, Ready, Failed }

/// <summary>The model, loaded in the background after the server binds its port, so /healthz answers at once and
/// /readyz says when generation can start.</summary>
public sealed class BackendHolder : IDisposable
{
    private IGenerationBackend? _backend;

    public BackendState State { get; private set; } = BackendState.Loading;

    public Exception? Failure { get; private set; }

    public IGenerationBackend? Backend => _backend;

    public async Task LoadAsync(BackendLoader loader, BatchOptions batching, CancellationToken cancellation)
    {
        try
        {
            _backend = await loader(batching, cancellation).ConfigureAwait(false);
            State = BackendState.Ready;
        }
        catch (Exception e)
        {
            Failure = e;
            State = BackendState.Failed;
            throw;
        }
    }

    /// <summary>The loaded backend; 503 while it loads or after it failed to.</summary>
    public IGenerationBackend Require() => _backend ?? throw (State == BackendState.Failed
        ? new ApiError(503, "Model unavailable", "the model failed to load; see the server log", code: "model_unavailable")
        : new ApiError(503, "Model loading", "the model is still loading; retry shortly (GET /readyz says when it is ready)", code: "model_loading") { RetryAfterSeconds = 5 });

    public void Dispose() => _backend?.Dispose();
}
