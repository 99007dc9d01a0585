using Tuneforge.Hub.Download;
using Tuneforge.Hub.Sources;
using Tuneforge.Hub.Tests.Fakes;

namespace Tuneforge.Hub.Tests;

public sealed class ModelResolverTests
{
    [Fact]
    public async Task A_hub_source_resolves_to_its_snapshot_folder_and_commit_identity()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        using var client = test.Client();
        var resolver = new ModelResolver(client, Path.Combine(test.Root, "memo.json"));

        var model = await resolver.ResolveAsync(ModelSource.Parse("hf://acme/tiny-llm@v1.0"));

        Assert.Equal($"hf://acme/tiny-llm@{Models.Commit1}", model.Identity.Value);
        Assert.Equal(model.Snapshot!.Folder, model.Folder.Path);
        Assert.Equal([Path.Combine(model.Folder.Path, "model.safetensors")], model.Folder.WeightFiles);
        Assert.NotNull(model.Folder.TokenizerFile);
    }

    [Fact]
    public async Task Identifying_a_hub_source_asks_for_the_commit_only()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        using var client = test.Client();
        var resolver = new ModelResolver(client, Path.Combine(test.Root, "memo.json"));

        var identity = await resolver.IdentifyAsync(ModelSource.Parse("hf://acme/tiny-llm"));
        var pinned = await resolver.IdentifyAsync(ModelSource.Parse($"hf://acme/tiny-llm@{Models.Commit1}"));

        Assert.Equal(identity, pinned);
        Assert.Equal("/api/models/acme/tiny-llm/revision/main?blobs=true", Assert.Single(test.Hub.Seen).Target);
    }

    [Fact]
    public async Task A_local_source_resolves_to_its_folder_and_content_identity()
    {
        using var folder = new TempFolder();
        folder.Write("m/config.json", "{}");
        folder.Write("m/model.safetensors", [1, 2]);
        using var client = new HubClient(new HubSettings { CacheDirectory = Path.Combine(folder.Path, "hub") });
        var resolver = new ModelResolver(client, Path.Combine(folder.Path, "memo.json"));

        var model = await resolver.ResolveAsync(ModelSource.Parse(Path.Combine(folder.Path, "m")));
        var identity = await resolver.IdentifyAsync(ModelSource.Parse(Path.Combine(folder.Path, "m")));

        Assert.Equal(Path.Combine(folder.Path, "m"), model.Folder.Path);
        Assert.Null(model.Snapshot);
        Assert.Equal(identity, model.Identity);
        Assert.Equal("local", identity.Kind);
    }

    [Fact]
    public async Task A_preset_is_left_to_the_engine()
    {
        using var client = new HubClient(new HubSettings { CacheDirectory = Path.GetTempPath() });
        var resolver = new ModelResolver(client, Path.Combine(Path.GetTempPath(), "unused-memo.json"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => resolver.ResolveAsync(ModelSource.Parse("preset:tiny-r1")));

        Assert.StartsWith("preset:tiny-r1 is a preset: the engine builds it; name it with ModelIdentity.ForPreset.", error.Message);
    }
}
