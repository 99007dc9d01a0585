namespace Tuneforge.Hub.Download;

/// <summary>What went wrong talking to the Hub or its cache, so callers can map it to an exit code or event.</summary>
public enum HubErrorKind
{
    /// <summary>A setting (HF_ENDPOINT, a cache path) is unusable.</summary>
    Configuration,
    /// <summary>HTTP 401: no token, or a wrong or expired one.</summary>
    Unauthorized,
    /// <summary>HTTP 403: a gated repository whose license was not accepted, or a token without read access.</summary>
    Forbidden,
    /// <summary>HTTP 404: the repository, the revision or a file does not exist.</summary>
    NotFound,
    /// <summary>The endpoint cannot be reached, or stopped answering.</summary>
    Network,
    /// <summary>The server kept failing (5xx, 429) after every retry.</summary>
    Server,
    /// <summary>The server's answer is not what a Hub sends (missing commit, ETag or size, bad JSON).</summary>
    Protocol,
    /// <summary>A downloaded file has the wrong size or hash; the partial file was removed.</summary>
    Integrity,
    /// <summary>No room left on the cache's disk.</summary>
    DiskFull,
    /// <summary>Offline mode is on and the cache does not hold what was asked for.</summary>
    NotCached,
    /// <summary>Another process kept the download lock of the same file past the lock timeout.</summary>
    Busy,
    /// <summary>The repository has no files Tuneforge can load (no config.json, no safetensors).</summary>
    UnsupportedRepository,
}

/// <summary>A Hub or cache failure with a message that names what failed and what the user can do.</summary>
public sealed class HubException(HubErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The category of the failure.</summary>
    public HubErrorKind Kind { get; } = kind;
}
