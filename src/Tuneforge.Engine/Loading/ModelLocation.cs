using Tuneforge.Engine.Presets;
using Tuneforge.Hub.Download;
using Tuneforge.Hub.Sources;
using Tuneforge.Engine.Runtime;

namespace Tuneforge.Engine.Loading;

/// <summary>Where a model comes from once its source is resolved: a folder on disk, or a preset built from a seed.</summary>
/// <param name="Directory">The Hugging Face folder (config.json, weights, tokenizer files); a preset's shipped weights; null for a preset built from a seed.</param>
/// <param name="TokenizerDirectory">Where tokenizer.json is: the folder itself, or a preset's shipped tokenizer.</param>
public sealed record ModelLocation(string Source, string? Directory, ModelPreset? Preset, string TokenizerDirectory)
{
    /// <summary>Resolves a local folder, <c>hf://org/name@revision</c> (downloaded into the Hub cache) or <c>preset:NAME</c>.</summary>
    public static async Task<ModelLocation> ResolveAsync(string text, Action<string> log, CancellationToken cancellation = default)
    {
        var source = ParseSource(text);
        switch (source)
        {
            case PresetModelSource preset:
                var known = ModelPresets.Get(preset.Name);
                var shipped = known.Weights is { } weights ? ShippedWeightsLocator.Find(weights) : null;
                return new ModelLocation(text, shipped, known, TokenizerLocator.Find(known.TokenizerName));
            case HubModelSource hub:
                log($"resolving {hub} through {HubSettings.FromEnvironment().Endpoint}");
                using (var client = new HubClient(HubSettings.FromEnvironment()))
                {
                    var snapshot = await client.DownloadAsync(hub, cancellation: cancellation).ConfigureAwait(false);
                    log($"{hub} is commit {snapshot.Commit} in {snapshot.Folder}");
                    return new ModelLocation(text, snapshot.Folder, null, snapshot.Folder);
                }
            case LocalModelSource local:
                if (!System.IO.Directory.Exists(local.FullPath))
                    throw new EngineException($"{local.FullPath}: model folder not found", $"--model takes {ModelSource.AcceptedForms}.");
                return new ModelLocation(text, local.FullPath, null, local.FullPath);
            default:
                throw new EngineException($"model source '{text}' is not supported");
        }
    }

    private static ModelSource ParseSource(string text)
    {
        try
        {
            return ModelSource.Parse(text);
        }
        catch (ModelSourceFormatException e)
        {
            throw new EngineException(e.Message, $"--model takes {ModelSource.AcceptedForms}.");
        }
    }
}
