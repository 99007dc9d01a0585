namespace Tuneforge.Hub.Download;

/// <summary>What to download besides the causal-LM files, and where to report progress.</summary>
public sealed record HubDownloadOptions
{
    /// <summary>Patterns (<c>*</c>, <c>?</c>) of more repository files to download, for example <c>README.md</c> or <c>*.bin</c>.</summary>
    public IReadOnlyList<string> ExtraFiles { get; init; } = [];

    /// <summary>Called after each chunk written (at most 1 MiB apart) and when a file completes.</summary>
    public Action<DownloadProgress>? Progress { get; init; }
}
