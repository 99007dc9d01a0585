using Tuneforge.Serve.Tests.Support;

namespace Tuneforge.Serve.Tests.EndToEnd;

/// <summary>One <c>tuneforge-engine serve</c> of a preset tiny-r1 folder (random weights) on a free loopback port, shared by a test class.</summary>
public sealed class EngineServerFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private EngineProcess? _server;

    public string ModelDirectory => _folder.File("tiny-r1");
    public string FeedbackDatabase => _folder.File("feedback.db");
    public int Port { get; } = EngineProcess.FreePort();
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public EngineProcess Server => _server!;
    public TempFolder Folder => _folder;

    public async Task InitializeAsync()
    {
        var (code, init) = await EngineProcess.RunAsync(TimeSpan.FromMinutes(2), "init", "--preset", "tiny-r1", "--out", ModelDirectory);
        await using (init)
        {
            Assert.True(code == 0, $"init failed: {init.Describe()}");
        }
        // deepseek-r1, as pipelines/default.yaml names it (auto would take the tokenizer's own Jinja template, which opens no <think>).
        _server = EngineProcess.Start("serve", "--model", ModelDirectory, "--chat-template", "deepseek-r1", "--urls", BaseAddress.ToString().TrimEnd('/'),
            "--feedback-db", FeedbackDatabase, "--max-batch-size", "4", "--batch-window-ms", "50", "--threads", "2");
        await _server.WaitUntilReadyAsync(TimeSpan.FromMinutes(2));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _folder.Dispose();
    }
}
