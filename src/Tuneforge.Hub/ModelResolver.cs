using Tuneforge.Hub.Download;
using Tuneforge.Hub.Folders;
using Tuneforge.Hub.Identity;
using Tuneforge.Hub.Sources;

namespace Tuneforge.Hub;

/// <summary>A local or Hub model made ready to load: its folder, its identity and, for the Hub, its snapshot.</summary>
/// <param name="Source">What was asked for.</param>
/// <param name="Folder">The model files.</param>
/// <param name="Identity">The identity for cache keys.</param>
/// <param name="Snapshot">The Hub snapshot (null for a local folder).</param>
public sealed record ResolvedModel(ModelSource Source, ModelFolder Folder, ModelIdentity Identity, HubSnapshot? Snapshot);

/// <summary>
/// Turns a local or Hub <see cref="ModelSource"/> into files on disk and an identity. Presets are not resolved
/// here: the engine builds them and names them with <see cref="ModelIdentity.ForPreset"/>.
/// </summary>
/// <param name="hub">The Hub client (its settings say where the cache is).</param>
/// <param name="identityMemoFile">The JSON file memoizing content hashes of local model files.</param>
public sealed class ModelResolver(HubClient hub, string identityMemoFile)
{
    /// <summary>Downloads a Hub model if needed (or checks a local folder) and computes its identity.</summary>
    /// <exception cref="HubException">The Hub download failed.</exception>
    /// <exception cref="ModelFolderException">The folder lacks config.json or weights.</exception>
    public async Task<ResolvedModel> ResolveAsync(ModelSource source, HubDownloadOptions? download = null, CancellationToken cancellation = default)
    {
        switch (source)
        {
            case LocalModelSource local:
                return new ResolvedModel(source, ModelFolder.Inspect(local.FullPath), ModelIdentity.ForLocalFolder(local.FullPath, identityMemoFile), null);
            case HubModelSource remote:
                var snapshot = await hub.DownloadAsync(remote, download, cancellation).ConfigureAwait(false);
                return new ResolvedModel(source, ModelFolder.Inspect(snapshot.Folder), ModelIdentity.ForHub(remote.RepoId, snapshot.Commit), snapshot);
            default:
                throw new ArgumentException($"{source} is a preset: the engine builds it; name it with ModelIdentity.ForPreset.", nameof(source));
        }
    }

    /// <summary>
    /// The identity alone, as cheaply as possible: a Hub model needs at most one request (none for a pinned commit
    /// or offline), a local folder reads only files whose size or time changed since they were last hashed.
    /// </summary>
    public async Task<ModelIdentity> IdentifyAsync(ModelSource source, CancellationToken cancellation = default) => source switch
    {
        LocalModelSource local => ModelIdentity.ForLocalFolder(local.FullPath, identityMemoFile),
        HubModelSource remote => ModelIdentity.ForHub(remote.RepoId, await hub.ResolveCommitAsync(remote, cancellation).ConfigureAwait(false)),
        _ => throw new ArgumentException($"{source} is a preset: the engine builds it; name it with ModelIdentity.ForPreset.", nameof(source)),
    };
}
