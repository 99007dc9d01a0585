namespace Tuneforge.Hub.Folders;

/// <summary>
/// The files of a Hugging Face causal-LM folder (a local folder or a Hub snapshot): the config, the safetensors
/// weights (one file or an index with its shards) and the tokenizer files when present.
/// </summary>
public sealed record ModelFolder
{
    /// <summary>The absolute folder path.</summary>
    public required string Path { get; init; }

    /// <summary><c>config.json</c>.</summary>
    public required string ConfigFile { get; init; }

    /// <summary>The safetensors files holding the weights, in load order (shards sorted by name).</summary>
    public required IReadOnlyList<string> WeightFiles { get; init; }

    /// <summary><c>model.safetensors.index.json</c> when the weights are sharded.</summary>
    public string? WeightIndexFile { get; init; }

    /// <summary><c>tokenizer.json</c> when present.</summary>
    public string? TokenizerFile { get; init; }

    /// <summary><c>tokenizer_config.json</c> when present.</summary>
    public string? TokenizerConfigFile { get; init; }

    /// <summary><c>special_tokens_map.json</c> when present.</summary>
    public string? SpecialTokensMapFile { get; init; }

    /// <summary><c>generation_config.json</c> when present.</summary>
    public string? GenerationConfigFile { get; init; }

    /// <summary><c>chat_template.jinja</c> when present (newer transformers store the template there).</summary>
    public string? ChatTemplateFile { get; init; }

    /// <summary>Every file above that exists, config first: what identifies the model's content.</summary>
    public IEnumerable<string> ContentFiles =>
        new[] { ConfigFile, GenerationConfigFile, WeightIndexFile }
            .Concat(WeightFiles)
            .Concat([TokenizerFile, TokenizerConfigFile, SpecialTokensMapFile, ChatTemplateFile])
            .OfType<string>();

    /// <summary>Finds the model files in a folder and checks that the config and every weight file are there.</summary>
    /// <exception cref="ModelFolderException">The folder is missing, or lacks config.json or weights; the message names them.</exception>
    public static ModelFolder Inspect(string folder)
    {
        var path = System.IO.Path.GetFullPath(folder);
        if (!Directory.Exists(path))
            throw new ModelFolderException(path, MissingFolderMessage(folder, path));

        var config = System.IO.Path.Combine(path, ModelFileNames.Config);
        if (!File.Exists(config))
            throw new ModelFolderException(path,
                $"Model folder '{path}' has no {ModelFileNames.Config}: it is not a Hugging Face transformers model folder " +
                "(expected config.json, model.safetensors or model.safetensors.index.json with its shards, and tokenizer files).");

        var (weights, index) = FindWeights(path);
        return new ModelFolder
        {
            Path = path,
            ConfigFile = config,
            WeightFiles = weights,
            WeightIndexFile = index,
            TokenizerFile = Existing(path, ModelFileNames.Tokenizer),
            TokenizerConfigFile = Existing(path, ModelFileNames.TokenizerConfig),
            SpecialTokensMapFile = Existing(path, ModelFileNames.SpecialTokensMap),
            GenerationConfigFile = Existing(path, ModelFileNames.GenerationConfig),
            ChatTemplateFile = Existing(path, ModelFileNames.ChatTemplate),
        };
    }

    private static (IReadOnlyList<string> Weights, string? Index) FindWeights(string path)
    {
        var index = System.IO.Path.Combine(path, ModelFileNames.WeightIndex);
        if (File.Exists(index))
        {
            var shards = WeightIndex.ReadShardNames(index);
            var missing = shards.Where(s => !File.Exists(System.IO.Path.Combine(path, s))).ToList();
            if (missing.Count > 0)
                throw new ModelFolderException(path,
                    $"{index} names {missing.Count} shard(s) that are not in the folder: {string.Join(", ", missing.Take(5))}" +
                    $"{(missing.Count > 5 ? ", …" : "")}. Copy the missing shards next to the index, or download the model again.");
            return (shards.Select(s => System.IO.Path.Combine(path, s)).ToList(), index);
        }

        var single = System.IO.Path.Combine(path, ModelFileNames.Weights);
        if (File.Exists(single))
            return ([single], null);

        var others = Directory.GetFiles(path, "*.safetensors").Order(StringComparer.Ordinal).ToList();
        if (others.Count > 0)
            return (others, null);

        var foreign = Directory.GetFiles(path)
            .Select(System.IO.Path.GetFileName)
            .Where(name => name is not null && ModelFileNames.IsForeignWeightFormat(name))
            .ToList();
        var found = foreign.Count > 0 ? $" It has {string.Join(", ", foreign.Take(3))}: convert them to safetensors first." : "";
        throw new ModelFolderException(path,
            $"Model folder '{path}' has no safetensors weights (model.safetensors, or model.safetensors.index.json with its shards).{found}");
    }

    private static string MissingFolderMessage(string given, string full)
    {
        var looksLikeRepoId = !System.IO.Path.IsPathRooted(given)
            && given.Count(c => c == '/') == 1
            && !given.StartsWith('.');
        var hint = looksLikeRepoId ? $" To download it from the Hugging Face Hub, write hf://{given}." : "";
        return $"Model folder '{full}' does not exist.{hint}";
    }

    private static string? Existing(string folder, string name)
    {
        var file = System.IO.Path.Combine(folder, name);
        return File.Exists(file) ? file : null;
    }
}
