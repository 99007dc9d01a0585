using Microsoft.AspNetCore.Builder;

namespace Tuneforge.Serve.Hosting;

/// <summary>A started server: its app, the addresses it listens on, and the model loading behind it.</summary>
public sealed class RunningServer(WebApplication app, BackendHolder holder, IReadOnlyList<string> addresses, Task loaded) : IAsyncDisposable
{
    public WebApplication App { get; } = app;
    public BackendHolder Holder { get; } = holder;
    public IReadOnlyList<string> Addresses { get; } = addresses;

    /// <summary>Completes when the model is ready; faults, with the server stopped, when it could not be loaded.</summary>
    public Task Loaded { get; } = loaded;

    /// <summary>Stops listening, lets running requests end (up to the shutdown timeout), then frees the model.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await App.StopAsync(CancellationToken.None);
        }
        finally
        {
            await App.DisposeAsync();
            try
            {
                await Loaded;
            }
            catch
            {
                // Reported by whoever awaited Loaded; disposal only frees what was loaded.
            }
            Holder.Dispose();
        }
    }
}
