using Tuneforge.Hub.Download;

namespace Tuneforge.Hub.Tests.Fakes;

/// <summary>A fake Hub, a temporary cache folder and fast retry settings for one test.</summary>
public sealed class HubTestContext : IAsyncDisposable
{
    public static readonly HubClientOptions FastOptions = new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        RetryMaxDelay = TimeSpan.FromMilliseconds(5),
        RequestTimeout = TimeSpan.FromSeconds(5),
        ReadTimeout = TimeSpan.FromSeconds(5),
    };

    private HubTestContext(FakeHub hub, string root)
    {
        Hub = hub;
        Root = root;
    }

    public FakeHub Hub { get; }
    public string Root { get; }
    public string Cache => Path.Combine(Root, "hub");

    public static async Task<HubTestContext> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "tuneforge-hub-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return new HubTestContext(await FakeHub.StartAsync(), root);
    }

    public HubSettings Settings(string? token = null, bool offline = false, string? endpoint = null) => new()
    {
        Endpoint = endpoint ?? Hub.Endpoint,
        CacheDirectory = Cache,
        Token = token,
        TokenSource = token is null ? null : "HF_TOKEN",
        Offline = offline,
    };

    public HubClient Client(string? token = null, bool offline = false, HubClientOptions? options = null) =>
        new(Settings(token, offline), options ?? FastOptions);

    public FakeRepo AddSingleFileRepo(string id = "acme/tiny-llm", string commit = Models.Commit1) =>
        Hub.AddRepo(id).AddCommit(commit, Models.SingleFile(), "main", "v1.0");

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
