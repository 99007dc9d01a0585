using System.Net;
using System.Net.Sockets;
using Tuneforge.Hub.Download;
using Tuneforge.Hub.Sources;
using Tuneforge.Hub.Tests.Fakes;

namespace Tuneforge.Hub.Tests.Download;

public sealed class HubErrorTests
{
    private static async Task<HubException> DownloadFails(HubClient client, string source) =>
        await Assert.ThrowsAsync<HubException>(() => client.DownloadAsync((HubModelSource)ModelSource.Parse(source)));

    [Fact]
    public async Task A_private_repo_without_a_token_says_to_set_HF_TOKEN_and_accept_the_license()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo("acme/private-llm").Token = "hf_right";
        using var client = test.Client();

        var error = await DownloadFails(client, "hf://acme/private-llm");

        var e = test.Hub.Endpoint;
        Assert.Equal(HubErrorKind.Unauthorized, error.Kind);
        Assert.Equal(
            $"The Hub at {e} refused access to acme/private-llm (HTTP 401) and no access token is set. " +
            $"If the model is private or gated, create a token at {e}/settings/tokens and set HF_TOKEN to it; " +
            $"for a gated model, also accept its license on {e}/acme/private-llm. Otherwise check the repository name. " +
            "The server said: \"Access to this model is restricted. You must be authenticated to access it.\".",
            error.Message);
    }

    [Fact]
    public async Task A_wrong_token_is_named_with_where_it_came_from()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo("acme/private-llm").Token = "hf_right";
        using var client = test.Client(token: "hf_wrong");

        var error = await DownloadFails(client, "hf://acme/private-llm");

        var e = test.Hub.Endpoint;
        Assert.Equal(HubErrorKind.Unauthorized, error.Kind);
        Assert.Equal(
            $"The Hub at {e} rejected the access token from HF_TOKEN for acme/private-llm (HTTP 401): " +
            "the token is wrong, expired or revoked, or the repository does not exist. Set HF_TOKEN to a valid token " +
            $"from {e}/settings/tokens; for a gated model, also accept its license on {e}/acme/private-llm. " +
            "The server said: \"Invalid credentials in Authorization header\".",
            error.Message);
        Assert.Contains(test.Hub.Seen, r => r.Authorization == "Bearer hf_wrong");
    }

    [Fact]
    public async Task A_gated_repo_whose_license_was_not_accepted_says_where_to_accept_it()
    {
        await using var test = await HubTestContext.StartAsync();
        var repo = test.AddSingleFileRepo("acme/gated-llm");
        repo.Token = "hf_right";
        repo.GatedNotAccepted = true;
        using var client = test.Client(token: "hf_right");

        var error = await DownloadFails(client, "hf://acme/gated-llm");

        var e = test.Hub.Endpoint;
        Assert.Equal(HubErrorKind.Forbidden, error.Kind);
        Assert.Equal(
            $"The Hub at {e} denied access to acme/gated-llm (HTTP 403) for the token from HF_TOKEN. " +
            $"If it is a gated model, accept its license on {e}/acme/gated-llm with the account that owns the token; " +
            "otherwise make sure the token grants read access to the repository. " +
            "The server said: \"Access to model acme/gated-llm is restricted and you are not in the authorized list.\".",
            error.Message);
    }

    [Fact]
    public async Task A_missing_repository_is_named()
    {
        await using var test = await HubTestContext.StartAsync();
        using var client = test.Client(token: "hf_any");

        var error = await DownloadFails(client, "hf://acme/no-such-model");

        var e = test.Hub.Endpoint;
        Assert.Equal(HubErrorKind.NotFound, error.Kind);
        Assert.Equal(
            $"Model repository 'acme/no-such-model' was not found at {e} (HTTP 404). " +
            $"Check the name on {e}/acme/no-such-model; if the repository is private, set HF_TOKEN to a token that can read it.",
            error.Message);
    }

    [Fact]
    public async Task A_missing_revision_is_named()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        using var client = test.Client();

        var error = await DownloadFails(client, "hf://acme/tiny-llm@v9");

        var e = test.Hub.Endpoint;
        Assert.Equal(HubErrorKind.NotFound, error.Kind);
        Assert.Equal(
            $"Revision 'v9' was not found in acme/tiny-llm at {e} (HTTP 404). " +
            $"Use an existing branch, tag or 40-character commit hash; the branches and tags are listed on {e}/acme/tiny-llm.",
            error.Message);
    }

    [Fact]
    public async Task Nothing_listening_names_the_endpoint_and_suggests_a_mirror()
    {
        var root = Path.Combine(Path.GetTempPath(), "tuneforge-hub-tests", Guid.NewGuid().ToString("N"));
        var endpoint = $"http://127.0.0.1:{UnusedPort()}";
        using var client = new HubClient(new HubSettings { Endpoint = endpoint, CacheDirectory = root }, HubTestContext.FastOptions);

        var error = await DownloadFails(client, "hf://acme/tiny-llm");

        Assert.Equal(HubErrorKind.Network, error.Kind);
        Assert.Equal(
            $"Could not reach {endpoint} (connection refused or reset) while resolving hf://acme/tiny-llm@main. " +
            "Check the network connection and proxy settings (HTTPS_PROXY); if the Hub is blocked or slow where you are, " +
            "set HF_ENDPOINT to a mirror (for example HF_ENDPOINT=https://hf-mirror.com). " +
            "To use models already in the cache without the network, set HF_HUB_OFFLINE=1. (tried 5 times)",
            error.Message);
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_is_a_network_failure()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        test.Hub.ApiDelay = TimeSpan.FromSeconds(5);
        using var client = test.Client(options: HubTestContext.FastOptions with { RequestTimeout = TimeSpan.FromMilliseconds(200), MaxRetries = 1 });

        var error = await DownloadFails(client, "hf://acme/tiny-llm");

        Assert.Equal(HubErrorKind.Network, error.Kind);
        Assert.StartsWith($"Could not reach {test.Hub.Endpoint} (no answer within 0.2 s) while resolving hf://acme/tiny-llm@main.", error.Message);
        Assert.EndsWith("(tried 2 times)", error.Message);
    }

    [Fact]
    public async Task Offline_mode_uses_the_cache_without_any_request()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        using (var online = test.Client())
            await online.DownloadAsync(new HubModelSource("acme/tiny-llm"));
        var before = test.Hub.Seen.Count;
        using var offline = test.Client(offline: true);

        var snapshot = await offline.DownloadAsync(new HubModelSource("acme/tiny-llm"));

        Assert.Equal(SnapshotOrigin.Offline, snapshot.Origin);
        Assert.Equal(Models.Commit1, snapshot.Commit);
        Assert.Equal(6, snapshot.Files.Count);
        Assert.Equal(before, test.Hub.Seen.Count);
        Assert.Equal(Models.Commit1, await offline.ResolveCommitAsync(new HubModelSource("acme/tiny-llm")));
    }

    [Fact]
    public async Task Offline_mode_without_the_model_in_the_cache_says_what_is_missing()
    {
        await using var test = await HubTestContext.StartAsync();
        using var offline = test.Client(offline: true);

        var error = await DownloadFails(offline, "hf://acme/tiny-llm@v1.0");

        Assert.Equal(HubErrorKind.NotCached, error.Kind);
        Assert.Equal(
            $"HF_HUB_OFFLINE is set and hf://acme/tiny-llm@v1.0 is not complete in the cache at {Path.Combine(test.Cache, "models--acme--tiny-llm")}: " +
            "the revision 'v1.0' was never resolved here (no refs/v1.0). Unset HF_HUB_OFFLINE to download it, or use a revision that is cached.",
            error.Message);
        Assert.Empty(test.Hub.Seen);
    }

    [Fact]
    public async Task Offline_mode_with_a_half_downloaded_snapshot_names_the_missing_files()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        using (var online = test.Client())
            await online.DownloadAsync(new HubModelSource("acme/tiny-llm"));
        File.Delete(Path.Combine(test.Cache, "models--acme--tiny-llm", "snapshots", Models.Commit1, "model.safetensors"));
        using var offline = test.Client(offline: true);

        var error = await DownloadFails(offline, "hf://acme/tiny-llm");

        Assert.Equal(HubErrorKind.NotCached, error.Kind);
        Assert.Contains($": snapshot {Models.Commit1} lacks model.safetensors. Unset HF_HUB_OFFLINE", error.Message);
    }

    [Fact]
    public async Task An_unreachable_hub_falls_back_to_a_complete_cached_revision_at_once()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        using (var online = test.Client())
            await online.DownloadAsync(new HubModelSource("acme/tiny-llm"));
        test.Hub.FailuresLeft = 1000;
        using var client = test.Client(options: HubTestContext.FastOptions with { RetryBaseDelay = TimeSpan.FromSeconds(30) });

        var snapshot = await client.DownloadAsync(new HubModelSource("acme/tiny-llm"));

        Assert.Equal(SnapshotOrigin.CacheAfterNetworkFailure, snapshot.Origin);
        Assert.Equal(Models.Commit1, snapshot.Commit);
    }

    [Fact]
    public async Task A_repository_without_safetensors_says_to_find_a_conversion()
    {
        await using var test = await HubTestContext.StartAsync();
        test.Hub.AddRepo("acme/old-llm").AddCommit(Models.Commit1,
            [Models.Text("config.json", "{}"), Models.Lfs("pytorch_model.bin", 1000, 5)], "main");
        using var client = test.Client();

        var error = await DownloadFails(client, "hf://acme/old-llm");

        Assert.Equal(HubErrorKind.UnsupportedRepository, error.Kind);
        Assert.Equal(
            $"acme/old-llm@{Models.Commit1} has no safetensors weights (it has pytorch_model.bin). Tuneforge loads only safetensors: " +
            "use a revision that has them (a conversion is often an open pull request, usable as hf://org/name@refs/pr/N) or convert the checkpoint.",
            error.Message);
    }

    [Fact]
    public async Task A_listed_file_name_that_would_escape_the_cache_is_ignored_or_refused()
    {
        await using var test = await HubTestContext.StartAsync();
        test.Hub.AddRepo("acme/evil").AddCommit(Models.Commit1,
            [.. Models.SingleFile(), Models.Text("../../../../escape.json", "{}")], "main");
        using var client = test.Client();

        var ignored = await client.DownloadAsync(new HubModelSource("acme/evil"));
        var error = await Assert.ThrowsAsync<HubException>(() =>
            client.DownloadAsync(new HubModelSource("acme/evil"), new HubDownloadOptions { ExtraFiles = ["*.json"] }));

        Assert.Equal(6, ignored.Files.Count);
        Assert.Equal(HubErrorKind.Protocol, error.Kind);
        Assert.Equal("The Hub listed a file named '../../../../escape.json', which is not a safe relative path; refusing to write it.", error.Message);
        Assert.False(File.Exists(Path.Combine(test.Root, "escape.json")));
        Assert.DoesNotContain(test.Hub.Seen, r => r.Target.Contains("escape"));
    }

    [Fact]
    public async Task A_captive_portal_answering_instead_of_the_hub_is_named()
    {
        await using var test = await HubTestContext.StartAsync();
        test.Hub.CaptivePortal = true;
        using var client = test.Client();

        var error = await DownloadFails(client, "hf://acme/tiny-llm");

        Assert.Equal(HubErrorKind.Protocol, error.Kind);
        Assert.Equal(
            $"The answer of {test.Hub.Endpoint} for acme/tiny-llm@main is not JSON (it starts with \"<html><body>Log in to the Wi-Fi</body></html>\"). " +
            $"Check that HF_ENDPOINT (now {test.Hub.Endpoint}) is a Hugging Face Hub or mirror, and that no proxy or captive portal answers instead.",
            error.Message);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
