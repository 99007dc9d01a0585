using Tuneforge.Hub.Folders;
using Tuneforge.Hub.Tests.Fakes;

namespace Tuneforge.Hub.Tests.Folders;

public sealed class ModelFolderTests
{
    [Fact]
    public void A_single_file_model_folder_is_found_with_its_tokenizer_files()
    {
        using var folder = new TempFolder();
        var config = folder.Write("config.json", "{}");
        var weights = folder.Write("model.safetensors", [1, 2, 3]);
        var tokenizer = folder.Write("tokenizer.json", "{}");
        var tokenizerConfig = folder.Write("tokenizer_config.json", "{}");

        var model = ModelFolder.Inspect(folder.Path);

        Assert.Equal(config, model.ConfigFile);
        Assert.Equal([weights], model.WeightFiles);
        Assert.Null(model.WeightIndexFile);
        Assert.Equal(tokenizer, model.TokenizerFile);
        Assert.Equal(tokenizerConfig, model.TokenizerConfigFile);
        Assert.Null(model.GenerationConfigFile);
        Assert.Equal([config, weights, tokenizer, tokenizerConfig], model.ContentFiles);
    }

    [Fact]
    public void A_sharded_folder_lists_the_shards_its_index_names_in_order()
    {
        using var folder = new TempFolder();
        folder.Write("config.json", "{}");
        var index = folder.Write("model.safetensors.index.json",
            """{"weight_map":{"b":"model-00002-of-00002.safetensors","a":"model-00001-of-00002.safetensors","c":"model-00001-of-00002.safetensors"}}""");
        var first = folder.Write("model-00001-of-00002.safetensors", [1]);
        var second = folder.Write("model-00002-of-00002.safetensors", [2]);
        folder.Write("consolidated.safetensors", [3]);

        var model = ModelFolder.Inspect(folder.Path);

        Assert.Equal(index, model.WeightIndexFile);
        Assert.Equal([first, second], model.WeightFiles);
    }

    [Fact]
    public void A_missing_shard_is_named()
    {
        using var folder = new TempFolder();
        folder.Write("config.json", "{}");
        var index = folder.Write("model.safetensors.index.json",
            """{"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors"}}""");
        folder.Write("model-00001-of-00002.safetensors", [1]);

        var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Inspect(folder.Path));

        Assert.Equal(
            $"{index} names 1 shard(s) that are not in the folder: model-00002-of-00002.safetensors. " +
            "Copy the missing shards next to the index, or download the model again.",
            error.Message);
    }

    [Theory]
    [InlineData("""{"weight_map":{"a":"../../secret.safetensors"}}""", "weight_map[\"a\"] = \"../../secret.safetensors\" is not a .safetensors file inside the model folder.")]
    [InlineData("""{"weight_map":{"a":"/etc/model.safetensors"}}""", "weight_map[\"a\"] = \"/etc/model.safetensors\" is not a .safetensors file inside the model folder.")]
    [InlineData("""{"weight_map":{"a":"model.bin"}}""", "weight_map[\"a\"] = \"model.bin\" is not a .safetensors file inside the model folder.")]
    [InlineData("""{"weight_map":{"a":3}}""", "weight_map[\"a\"] is not a file name string.")]
    [InlineData("""{"metadata":{}}""", "no \"weight_map\" object mapping tensor names to shard files.")]
    [InlineData("""{"weight_map":{}}""", "\"weight_map\" is empty.")]
    public void A_bad_index_is_refused_naming_the_entry(string json, string problem)
    {
        using var folder = new TempFolder();
        folder.Write("config.json", "{}");
        var index = folder.Write("model.safetensors.index.json", json);

        var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Inspect(folder.Path));

        Assert.Equal($"{index}: {problem}", error.Message);
    }

    [Fact]
    public void An_index_that_is_not_json_is_refused_with_line_and_column()
    {
        using var folder = new TempFolder();
        folder.Write("config.json", "{}");
        var index = folder.Write("model.safetensors.index.json", "{\n  \"weight_map\": {,}\n}");

        var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Inspect(folder.Path));

        Assert.Equal($"{index}:2:18: not valid JSON", error.Message[..error.Message.IndexOf(" (", StringComparison.Ordinal)]);
    }

    [Fact]
    public void A_folder_without_config_is_not_a_model_folder()
    {
        using var folder = new TempFolder();
        folder.Write("model.safetensors", [1]);

        var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Inspect(folder.Path));

        Assert.Equal(
            $"Model folder '{folder.Path}' has no config.json: it is not a Hugging Face transformers model folder " +
            "(expected config.json, model.safetensors or model.safetensors.index.json with its shards, and tokenizer files).",
            error.Message);
    }

    [Fact]
    public void A_folder_with_only_pickled_weights_says_to_convert_them()
    {
        using var folder = new TempFolder();
        folder.Write("config.json", "{}");
        folder.Write("pytorch_model.bin", [1]);

        var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Inspect(folder.Path));

        Assert.Equal(
            $"Model folder '{folder.Path}' has no safetensors weights (model.safetensors, or model.safetensors.index.json with its shards). " +
            "It has pytorch_model.bin: convert them to safetensors first.",
            error.Message);
    }

    [Fact]
    public void A_missing_folder_that_looks_like_a_repository_id_suggests_hf()
    {
        var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Inspect("no-such-org/NoSuchModel"));

        Assert.Equal(
            $"Model folder '{Path.GetFullPath("no-such-org/NoSuchModel")}' does not exist. To download it from the Hugging Face Hub, write hf://no-such-org/NoSuchModel.",
            error.Message);
    }
}
