using System.Text.Json.Nodes;
using Tuneforge.Hub.Download;
using Tuneforge.Hub.Folders;
using Tuneforge.Hub.Sources;
using Tuneforge.Hub.Tests.Fakes;

namespace Tuneforge.Hub.Tests.Download;

public sealed class HubDownloadTests
{
    private static readonly string[] CausalLmFiles =
        ["config.json", "generation_config.json", "model.safetensors", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"];

    [Fact]
    public async Task Download_fills_the_standard_cache_layout_with_the_causal_lm_files_only()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        using var client = test.Client();

        var snapshot = await client.DownloadAsync(new HubModelSource("acme/tiny-llm"));

        var storage = Path.Combine(test.Cache, "models--acme--tiny-llm");
        Assert.Equal(Models.Commit1, snapshot.Commit);
        Assert.Equal(SnapshotOrigin.Hub, snapshot.Origin);
        Assert.Equal(Path.Combine(storage, "snapshots", Models.Commit1), snapshot.Folder);
        Assert.Equal(CausalLmFiles, snapshot.Files.Order(StringComparer.Ordinal));
        Assert.Equal(Models.Commit1, File.ReadAllText(Path.Combine(storage, "refs", "main")));

        var repoFiles = test.Hub.Repos["acme/tiny-llm"].Commits[Models.Commit1];
        foreach (var name in CausalLmFiles)
        {
            var pointer = Path.Combine(snapshot.Folder, name);
            var expected = repoFiles[name];
            Assert.Equal(Path.Combine("..", "..", "blobs", expected.Etag), new FileInfo(pointer).LinkTarget);
            Assert.Equal(expected.Content, File.ReadAllBytes(pointer));
        }
        var blobs = Directory.GetFiles(Path.Combine(storage, "blobs")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(CausalLmFiles.Select(n => repoFiles[n].Etag).Order(StringComparer.Ordinal), blobs);
        Assert.Equal(6, snapshot.DownloadedFiles);
        Assert.Equal(CausalLmFiles.Sum(n => (long)repoFiles[n].Content.Length), snapshot.DownloadedBytes);

        var unwanted = test.Hub.Seen.Where(r => r.Target.Contains("pytorch_model.bin") || r.Target.Contains("msgpack")
                                                || r.Target.Contains("README") || r.Target.Contains("onnx"));
        Assert.Empty(unwanted);
    }

    [Fact]
    public async Task Download_caches_the_commit_listing_in_huggingface_hub_tree_format()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        using var client = test.Client();

        await client.DownloadAsync(new HubModelSource("acme/tiny-llm"));

        var tree = JsonNode.Parse(File.ReadAllText(Path.Combine(test.Cache, "models--acme--tiny-llm", "trees", Models.Commit1 + ".json")))!;
        Assert.Equal(1, tree["format_version"]!.GetValue<int>());
        var weights = tree["files"]!["model.safetensors"]!;
        var expected = test.Hub.Repos["acme/tiny-llm"].Commits[Models.Commit1]["model.safetensors"];
        Assert.Equal(expected.Sha256, weights["lfs_sha256"]!.GetValue<string>());
        Assert.Equal(300_000, weights["lfs_size"]!.GetValue<long>());
        Assert.Equal(10, tree["files"]!.AsObject().Count);
    }

    [Fact]
    public async Task A_tag_resolves_to_its_commit_and_records_a_ref()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo().Refs["refs/pr/1"] = Models.Commit1;
        using var client = test.Client();

        var tagged = await client.DownloadAsync((HubModelSource)ModelSource.Parse("hf://acme/tiny-llm@v1.0"));
        var pullRequest = await client.DownloadAsync((HubModelSource)ModelSource.Parse("hf://acme/tiny-llm@refs/pr/1"));

        var refs = Path.Combine(test.Cache, "models--acme--tiny-llm", "refs");
        Assert.Equal(Models.Commit1, tagged.Commit);
        Assert.Equal(Models.Commit1, File.ReadAllText(Path.Combine(refs, "v1.0")));
        Assert.Equal(Models.Commit1, File.ReadAllText(Path.Combine(refs, "refs", "pr", "1")));
        Assert.Equal(tagged.Folder, pullRequest.Folder);
        Assert.Contains(test.Hub.Seen, r => r.Target == "/api/models/acme/tiny-llm/revision/refs%2Fpr%2F1?blobs=true");
    }

    [Fact]
    public async Task Lfs_files_come_from_the_cdn_redirect_without_the_token()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo().Token = "hf_secret";
        using var client = test.Client(token: "hf_secret");

        await client.DownloadAsync(new HubModelSource("acme/tiny-llm"));

        var sha = test.Hub.Repos["acme/tiny-llm"].Commits[Models.Commit1]["model.safetensors"].Sha256;
        var seen = test.Hub.Seen;
        Assert.All(seen.Where(r => !r.ToCdn), r => Assert.Equal("Bearer hf_secret", r.Authorization));
        var cdn = Assert.Single(seen, r => r.ToCdn);
        Assert.Equal("GET", cdn.Method);
        Assert.StartsWith($"/lfs/{sha}?expires=", cdn.Target);
        Assert.Null(cdn.Authorization);
        Assert.DoesNotContain(seen, r => r.Method == "GET" && r.Target.EndsWith("/resolve/" + Models.Commit1 + "/model.safetensors"));
    }

    [Fact]
    public async Task A_second_call_with_everything_cached_downloads_nothing()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        using var client = test.Client();
        await client.DownloadAsync(new HubModelSource("acme/tiny-llm"));
        var before = test.Hub.Seen.Count;

        var again = await client.DownloadAsync(new HubModelSource("acme/tiny-llm"));

        Assert.Equal(0, again.DownloadedFiles);
        Assert.Equal(0, again.DownloadedBytes);
        var after = test.Hub.Seen.Skip(before).ToList();
        Assert.Equal("/api/models/acme/tiny-llm/revision/main?blobs=true", Assert.Single(after).Target);
    }

    [Fact]
    public async Task A_pinned_commit_that_is_cached_needs_no_network_at_all()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        using var client = test.Client();
        var first = await client.DownloadAsync(new HubModelSource("acme/tiny-llm", Models.Commit1));
        var before = test.Hub.Seen.Count;

        var again = await client.DownloadAsync(new HubModelSource("acme/tiny-llm", Models.Commit1.ToUpperInvariant()));

        Assert.Equal(SnapshotOrigin.CachedCommit, again.Origin);
        Assert.Equal(first.Folder, again.Folder);
        Assert.Equal(first.Files.Order(), again.Files.Order());
        Assert.Equal(before, test.Hub.Seen.Count);
        Assert.False(Directory.Exists(Path.Combine(test.Cache, "models--acme--tiny-llm", "refs")));
    }

    [Fact]
    public async Task A_blob_shared_by_two_commits_is_downloaded_once()
    {
        await using var test = await HubTestContext.StartAsync();
        var files = Models.SingleFile();
        var changedConfig = files.Select(f => f.Path == "config.json" ? Models.Text("config.json", """{"changed":true}""") : f);
        test.Hub.AddRepo("acme/tiny-llm").AddCommit(Models.Commit1, files, "v1").AddCommit(Models.Commit2, changedConfig, "main");
        using var client = test.Client();
        await client.DownloadAsync(new HubModelSource("acme/tiny-llm", "v1"));

        var second = await client.DownloadAsync(new HubModelSource("acme/tiny-llm", "main"));

        Assert.Equal(1, second.DownloadedFiles);
        Assert.Equal("""{"changed":true}""", File.ReadAllText(Path.Combine(second.Folder, "config.json")));
        Assert.Equal(files.Single(f => f.Path == "model.safetensors").Content, File.ReadAllBytes(Path.Combine(second.Folder, "model.safetensors")));
        Assert.Single(test.Hub.Seen, r => r.ToCdn && r.Target.Contains(files.Single(f => f.Path == "model.safetensors").Sha256));
    }

    [Fact]
    public async Task A_sharded_model_fetches_the_index_and_the_shards_it_names()
    {
        await using var test = await HubTestContext.StartAsync();
        test.Hub.AddRepo("acme/sharded").AddCommit(Models.Commit1, Models.Sharded(), "main");
        using var client = test.Client();

        var snapshot = await client.DownloadAsync(new HubModelSource("acme/sharded"));

        Assert.Equal(
            ["config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.safetensors.index.json", "tokenizer.json"],
            snapshot.Files.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(test.Hub.Seen, r => r.Target.Contains("consolidated"));
        var folder = ModelFolder.Inspect(snapshot.Folder);
        Assert.Equal(
            [Path.Combine(snapshot.Folder, "model-00001-of-00002.safetensors"), Path.Combine(snapshot.Folder, "model-00002-of-00002.safetensors")],
            folder.WeightFiles);
    }

    [Fact]
    public async Task Extra_patterns_fetch_files_a_causal_lm_does_not_need()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        using var client = test.Client();

        var snapshot = await client.DownloadAsync(new HubModelSource("acme/tiny-llm"), new HubDownloadOptions { ExtraFiles = ["*.bin", "README.md"] });

        Assert.Contains("pytorch_model.bin", snapshot.Files);
        Assert.Contains("README.md", snapshot.Files);
        Assert.Equal(8, snapshot.Files.Count);
    }

    [Fact]
    public async Task Progress_grows_to_the_total_of_the_files_downloaded()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        using var client = test.Client();
        var reports = new List<DownloadProgress>();

        var snapshot = await client.DownloadAsync(new HubModelSource("acme/tiny-llm"), new HubDownloadOptions { Progress = reports.Add });

        Assert.True(reports.Count >= 6);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.Second.Bytes >= p.First.Bytes));
        var last = reports[^1];
        Assert.Equal(snapshot.DownloadedBytes, last.Bytes);
        Assert.Equal(snapshot.DownloadedBytes, last.TotalBytes);
        var weights = reports.Where(r => r.File == "model.safetensors").ToList();
        Assert.Equal(300_000, weights[^1].FileBytes);
        Assert.All(weights, r => Assert.Equal(300_000, r.FileSize));
    }

    [Fact]
    public async Task A_renamed_repository_is_followed_on_the_same_host_with_the_token()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo().Token = "hf_secret";
        test.Hub.Renames["acme/old-name"] = "acme/tiny-llm";
        using var client = test.Client(token: "hf_secret");

        var snapshot = await client.DownloadAsync(new HubModelSource("acme/old-name"));

        Assert.Equal(Models.Commit1, snapshot.Commit);
        Assert.Equal(Path.Combine(test.Cache, "models--acme--old-name", "snapshots", Models.Commit1), snapshot.Folder);
        Assert.Contains(test.Hub.Seen, r => r.Target.StartsWith("/api/models/acme/tiny-llm/") && r.Authorization == "Bearer hf_secret");
        Assert.Contains(test.Hub.Seen, r => r.Method == "HEAD" && r.Target.StartsWith("/acme/tiny-llm/resolve/") && r.Authorization == "Bearer hf_secret");
    }

    [Fact]
    public async Task Two_concurrent_downloads_of_one_model_fetch_each_blob_once()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        using var first = test.Client();
        using var second = test.Client();

        var snapshots = await Task.WhenAll(
            first.DownloadAsync(new HubModelSource("acme/tiny-llm")),
            second.DownloadAsync(new HubModelSource("acme/tiny-llm")));

        Assert.Equal(snapshots[0].Folder, snapshots[1].Folder);
        Assert.Equal(6, snapshots[0].DownloadedFiles + snapshots[1].DownloadedFiles);
        Assert.Single(test.Hub.Seen, r => r.ToCdn);
        var weights = test.Hub.Repos["acme/tiny-llm"].Commits[Models.Commit1]["model.safetensors"].Content;
        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(snapshots[0].Folder, "model.safetensors")));
    }

    [Fact]
    public async Task HF_ENDPOINT_HF_HUB_CACHE_and_HF_TOKEN_from_the_environment_are_honoured()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo().Token = "hf_from_env";
        var environment = new Dictionary<string, string>
        {
            ["HF_ENDPOINT"] = test.Hub.Endpoint + "/",
            ["HF_HUB_CACHE"] = test.Cache,
            ["HF_TOKEN"] = "hf_from_env",
        };
        var settings = HubSettings.FromEnvironment(environment.GetValueOrDefault);
        using var client = new HubClient(settings, HubTestContext.FastOptions);

        var snapshot = await client.DownloadAsync(new HubModelSource("acme/tiny-llm"));

        Assert.Equal(test.Hub.Endpoint, settings.Endpoint);
        Assert.StartsWith(test.Cache, snapshot.Folder);
        Assert.Contains(test.Hub.Seen, r => r.Target.StartsWith("/api/models/acme/tiny-llm/") && r.Authorization == "Bearer hf_from_env");
    }
}
