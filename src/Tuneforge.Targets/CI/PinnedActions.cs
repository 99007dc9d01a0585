namespace Tuneforge.Targets;

/// <summary>The actions a generated workflow uses, pinned to a commit (a tag can be moved; a commit cannot), with the
/// release it is in as a comment. Update by reading the action's releases and replacing both.</summary>
public static class PinnedActions
{
    public static readonly PinnedAction Checkout = new("actions/checkout", "3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1");
    public static readonly PinnedAction SetupDotNet = new("actions/setup-dotnet", "a98b56852c35b8e3190ac28c8c2271da59106c68", "v6.0.0");
    public static readonly PinnedAction Cache = new("actions/cache", "27d5ce7f107fe9357f9df03efb73ab90386fccae", "v5.0.5");
    public static readonly PinnedAction CacheRestore = Cache with { Action = "actions/cache/restore" };
    public static readonly PinnedAction CacheSave = Cache with { Action = "actions/cache/save" };
    public static readonly PinnedAction UploadArtifact = new("actions/upload-artifact", "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", "v7.0.0");
    public static readonly PinnedAction DownloadArtifact = new("actions/download-artifact", "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", "v8.0.1");
}

public sealed record PinnedAction(string Action, string Commit, string Release)
{
    public string Uses => $"{Action}@{Commit}";
}
