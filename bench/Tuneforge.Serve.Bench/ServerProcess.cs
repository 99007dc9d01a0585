using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Tuneforge.Serve.Bench;

/// <summary><c>tuneforge-engine serve</c> on a free loopback port, started with dotnet from the repository's Release build.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    public ServerProcess(IReadOnlyList<string> serveArguments)
    {
        Port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(EngineDll());
        start.ArgumentList.Add("serve");
        foreach (var argument in serveArguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Read(e.Data);
        _process.ErrorDataReceived += (_, e) => Read(e.Data);
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException("the server exited:\n" + string.Join("\n", _output.TakeLast(20))));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
    public Task Ready => _ready.Task;

    private void Read(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        if (line.Contains("\"ready: ", StringComparison.Ordinal)) _ready.TrySetResult();
    }

    private static string EngineDll()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var dll = Path.Combine(folder.FullName, "src", "Tuneforge.Engine.Cli", "bin", "Release", "net10.0", "tuneforge-engine.dll");
            if (File.Exists(dll)) return dll;
        }
        throw new FileNotFoundException("tuneforge-engine.dll not found; build src/Tuneforge.Engine.Cli -c Release");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
