using System.IO.Enumeration;
using Tuneforge.Hub.Folders;

namespace Tuneforge.Hub.Download;

/// <summary>
/// Which repository files a causal LM needs: config, generation config, tokenizer files and safetensors weights
/// (the shards an index names, else model.safetensors, else every top-level .safetensors). Never pickles
/// (*.bin, *.pth), Flax or TensorFlow weights unless asked for by pattern.
/// </summary>
internal static class FileSelection
{
    /// <summary>The small files, including the weight index if there is one, plus files matching the extra patterns.</summary>
    public static IReadOnlyList<RepoFileInfo> Metadata(IReadOnlyList<RepoFileInfo> files, IReadOnlyList<string> extraPatterns, string described)
    {
        if (!files.Any(f => f.Path == ModelFileNames.Config))
            throw new HubException(HubErrorKind.UnsupportedRepository,
                $"{described} has no config.json at its root, so it is not a transformers model repository (it has {List(files.Select(f => f.Path))}). " +
                "Check the repository name: Tuneforge loads Hugging Face causal language models.");
        return files
            .Where(f => ModelFileNames.Metadata.Contains(f.Path) || f.Path == ModelFileNames.WeightIndex
                        || extraPatterns.Any(p => FileSystemName.MatchesSimpleExpression(p, f.Path)))
            .ToList();
    }

    /// <summary>The weight index, when the weights are sharded.</summary>
    public static RepoFileInfo? Index(IReadOnlyList<RepoFileInfo> files) => files.FirstOrDefault(f => f.Path == ModelFileNames.WeightIndex);

    /// <summary>The weight files; <paramref name="indexFile"/> is the cached index when <see cref="Index"/> found one.</summary>
    public static IReadOnlyList<RepoFileInfo> Weights(IReadOnlyList<RepoFileInfo> files, string? indexFile, string described)
    {
        if (indexFile is not null)
        {
            IReadOnlyList<string> shards;
            try
            {
                shards = WeightIndex.ReadShardNames(indexFile);
            }
            catch (ModelFolderException e)
            {
                throw new HubException(HubErrorKind.UnsupportedRepository, $"{described}: {e.Message}", e);
            }
            var byPath = files.ToDictionary(f => f.Path, StringComparer.Ordinal);
            var missing = shards.Where(s => !byPath.ContainsKey(s)).ToList();
            if (missing.Count > 0)
                throw new HubException(HubErrorKind.UnsupportedRepository,
                    $"{described}: {ModelFileNames.WeightIndex} names shards the repository does not have: {List(missing)}. Use another revision of the model.");
            return shards.Select(s => byPath[s]).ToList();
        }

        var single = files.FirstOrDefault(f => f.Path == ModelFileNames.Weights);
        if (single is not null)
            return [single];
        var topLevel = files.Where(f => !f.Path.Contains('/') && f.Path.EndsWith(".safetensors", StringComparison.Ordinal))
            .OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        if (topLevel.Count > 0)
            return topLevel;

        var foreign = files.Where(f => ModelFileNames.IsForeignWeightFormat(f.Path)).Select(f => f.Path).ToList();
        var has = foreign.Count > 0 ? $" (it has {List(foreign)})" : "";
        throw new HubException(HubErrorKind.UnsupportedRepository,
            $"{described} has no safetensors weights{has}. Tuneforge loads only safetensors: use a revision that has them " +
            "(a conversion is often an open pull request, usable as hf://org/name@refs/pr/N) or convert the checkpoint.");
    }

    private static string List(IEnumerable<string> names)
    {
        var all = names.ToList();
        return all.Count == 0 ? "no files" : string.Join(", ", all.Take(6)) + (all.Count > 6 ? $" and {all.Count - 6} more" : "");
    }
}
