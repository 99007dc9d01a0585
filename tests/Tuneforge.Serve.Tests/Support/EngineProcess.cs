using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Tuneforge.Serve.Tests.Support;

/// <summary>The built <c>tuneforge-engine</c>, run as a child process with <c>dotnet</c>; its JSON-line events collected.</summary>
public sealed class EngineProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<JsonObject> _events = [];
    private readonly List<string> _stderr = [];
    private readonly TaskCompletionSource<JsonObject> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private EngineProcess(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(RepositoryFiles.EngineDll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null || !e.Data.StartsWith('{')) return;
            var json = JsonNode.Parse(e.Data)!.AsObject();
            lock (_events) _events.Add(json);
            if (json["message"]?.GetValue<string>() is { } message && message.StartsWith("ready:", StringComparison.Ordinal)) _ready.TrySetResult(json);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (_stderr) _stderr.Add(e.Data);
        };
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException($"the engine exited with code {_process.ExitCode}: {Describe()}"));
        if (!File.Exists(RepositoryFiles.EngineDll)) throw new FileNotFoundException($"{RepositoryFiles.EngineDll} is not built; build src/Tuneforge.Engine.Cli -c Release");
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IReadOnlyList<JsonObject> Events
    {
        get
        {
            lock (_events) return [.. _events];
        }
    }

    public static EngineProcess Start(params string[] arguments) => new(arguments);

    /// <summary>Runs a verb to its end; returns the exit code.</summary>
    public static async Task<(int ExitCode, EngineProcess Process)> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        var process = new EngineProcess(arguments);
        using var cancel = new CancellationTokenSource(timeout);
        await process._process.WaitForExitAsync(cancel.Token);
        process._process.WaitForExit();   // drains the output readers
        return (process._process.ExitCode, process);
    }

    /// <summary>Waits for the server's "ready" event; throws with the engine's output if it exits first.</summary>
    public Task WaitUntilReadyAsync(TimeSpan timeout) => _ready.Task.WaitAsync(timeout);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public string Describe()
    {
        lock (_events) lock (_stderr) return string.Join("\n", _events.Select(e => e.ToJsonString()).Concat(_stderr.TakeLast(20)));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
