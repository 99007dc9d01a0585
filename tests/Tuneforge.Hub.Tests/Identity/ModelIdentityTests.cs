using System.Text.Json.Nodes;
using Tuneforge.Hub.Identity;
using Tuneforge.Hub.Presets;
using Tuneforge.Hub.Tests.Fakes;

namespace Tuneforge.Hub.Tests.Identity;

public sealed class ModelIdentityTests
{
    private static TempFolder ModelFolder(byte[] weights)
    {
        var folder = new TempFolder();
        folder.Write("model/config.json", """{"hidden_size":64}""");
        folder.Write("model/model.safetensors", weights);
        folder.Write("model/tokenizer.json", "{}");
        folder.Write("model/README.md", "not part of the identity");
        return folder;
    }

    [Fact]
    public void A_hub_model_is_its_repository_and_commit()
    {
        var identity = ModelIdentity.ForHub("org/name", "ABCDEF0123456789abcdef0123456789ABCDEF01");

        Assert.Equal("hf", identity.Kind);
        Assert.Equal("hf://org/name@abcdef0123456789abcdef0123456789abcdef01", identity.Value);
        Assert.Equal(64, identity.Key.Length);
        Assert.Throws<ArgumentException>(() => ModelIdentity.ForHub("org/name", "main"));
    }

    [Fact]
    public void A_local_folder_is_the_hash_of_its_model_files_content()
    {
        using var a = ModelFolder([1, 2, 3]);
        using var b = ModelFolder([1, 2, 3]);
        using var c = ModelFolder([1, 2, 4]);
        var memo = Path.Combine(a.Path, "memo.json");

        var identityA = ModelIdentity.ForLocalFolder(Path.Combine(a.Path, "model"), memo);
        var identityB = ModelIdentity.ForLocalFolder(Path.Combine(b.Path, "model"), memo);
        var identityC = ModelIdentity.ForLocalFolder(Path.Combine(c.Path, "model"), memo);
        File.WriteAllText(Path.Combine(a.Path, "model", "README.md"), "edited");
        var afterReadmeEdit = ModelIdentity.ForLocalFolder(Path.Combine(a.Path, "model"), memo);

        Assert.Equal("local", identityA.Kind);
        Assert.Matches("^local:sha256:[0-9a-f]{64}$", identityA.Value);
        Assert.Equal(identityA, identityB);
        Assert.NotEqual(identityA, identityC);
        Assert.Equal(identityA, afterReadmeEdit);
    }

    [Fact]
    public void Content_hashes_are_memoized_by_path_size_and_time()
    {
        using var folder = ModelFolder([1, 2, 3]);
        var model = Path.Combine(folder.Path, "model");
        var memo = Path.Combine(folder.Path, "memo.json");
        var weights = Path.Combine(model, "model.safetensors");
        var first = ModelIdentity.ForLocalFolder(model, memo);
        var stamp = File.GetLastWriteTimeUtc(weights);

        // Same size and time but other bytes: the memo answers, proving the file was not read again.
        File.WriteAllBytes(weights, [9, 9, 9]);
        File.SetLastWriteTimeUtc(weights, stamp);
        var memoized = ModelIdentity.ForLocalFolder(model, memo);
        // A new time invalidates the entry.
        File.SetLastWriteTimeUtc(weights, stamp.AddSeconds(5));
        var rehashed = ModelIdentity.ForLocalFolder(model, memo);

        Assert.Equal(first, memoized);
        Assert.NotEqual(first, rehashed);
        var entries = JsonNode.Parse(File.ReadAllText(memo))!["files"]!.AsObject();
        Assert.Equal(3, entries.Count);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(new byte[] { 9, 9, 9 })),
            entries[weights]!["sha256"]!.GetValue<string>());
    }

    [Fact]
    public void A_corrupt_memo_file_is_rebuilt()
    {
        using var folder = ModelFolder([1, 2, 3]);
        var model = Path.Combine(folder.Path, "model");
        var memo = Path.Combine(folder.Path, "memo.json");
        var expected = ModelIdentity.ForLocalFolder(model, Path.Combine(folder.Path, "other-memo.json"));
        File.WriteAllText(memo, "{ not json");

        var identity = ModelIdentity.ForLocalFolder(model, memo);

        Assert.Equal(expected, identity);
        Assert.Equal(1, JsonNode.Parse(File.ReadAllText(memo))!["format_version"]!.GetValue<int>());
    }

    [Fact]
    public void A_preset_is_its_name_and_parameters_in_any_key_order()
    {
        var a = ModelIdentity.ForPreset("tiny-r1", JsonNode.Parse("""{"seed":7,"layers":{"count":2,"hidden":64}}"""));
        var b = ModelIdentity.ForPreset("tiny-r1", JsonNode.Parse("""{"layers":{"hidden":64,"count":2},"seed":7}"""));
        var c = ModelIdentity.ForPreset("tiny-r1", JsonNode.Parse("""{"seed":8,"layers":{"count":2,"hidden":64}}"""));

        Assert.Equal("""preset:tiny-r1:{"layers":{"count":2,"hidden":64},"seed":7}""", a.Value);
        Assert.Equal(a, b);
        Assert.NotEqual(a.Key, c.Key);
    }

    [Fact]
    public void A_preset_with_shipped_weights_names_their_sha256_so_new_weights_are_a_new_identity()
    {
        var weights = ShippedPresetWeights.Find("tiny-r1-base")!;
        var identity = ModelIdentity.ForPreset("tiny-r1-base", JsonNode.Parse("""{"preset_seed":0}"""));

        Assert.Equal($$"""preset:tiny-r1-base:{"preset_seed":0,"weights_sha256":"{{weights.Sha256}}"}""", identity.Value);
        Assert.Equal("""preset:tiny-r1:{"preset_seed":0}""", ModelIdentity.ForPreset("tiny-r1", JsonNode.Parse("""{"preset_seed":0}""")).Value);
        Assert.Null(ShippedPresetWeights.Find("tiny-r1"));
    }

    [Fact]
    public void The_shipped_weights_in_the_repository_have_the_sha256_their_preset_names()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Tuneforge.slnx"))) root = root.Parent!;
        foreach (var weights in ShippedPresetWeights.All)
        {
            using var stream = File.OpenRead(Path.Combine(root.FullName, weights.Folder, ShippedPresetWeights.WeightsFile));
            Assert.Equal(weights.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream)));
        }
    }
}
