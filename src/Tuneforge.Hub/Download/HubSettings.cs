namespace Tuneforge.Hub.Download;

/// <summary>
/// Where and how to reach the Hugging Face Hub, read from the same environment variables as huggingface_hub:
/// HF_ENDPOINT, HF_HUB_CACHE / HF_HOME, HF_TOKEN / HF_TOKEN_PATH, HF_HUB_OFFLINE, HF_HUB_DISABLE_SYMLINKS.
/// </summary>
public sealed record HubSettings
{
    /// <summary>The public Hub.</summary>
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>The Hub or mirror base address, without a trailing slash (HF_ENDPOINT).</summary>
    public string Endpoint { get; init; } = DefaultEndpoint;

    /// <summary>The hub cache folder holding <c>models--org--name</c> folders.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>The access token sent as <c>Authorization: Bearer</c>, or null.</summary>
    public string? Token { get; init; }

    /// <summary>Where the token came from, for error messages: "HF_TOKEN" or the token file path.</summary>
    public string? TokenSource { get; init; }

    /// <summary>Use the cache only, never the network (HF_HUB_OFFLINE=1).</summary>
    public bool Offline { get; init; }

    /// <summary>Copy blobs into snapshots instead of symlinking (HF_HUB_DISABLE_SYMLINKS=1).</summary>
    public bool DisableSymlinks { get; init; }

    /// <summary>Reads the settings from environment variables (or from <paramref name="getVariable"/>, for tests).</summary>
    /// <exception cref="HubException">HF_ENDPOINT is not an http(s) address.</exception>
    public static HubSettings FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        string? Get(string name) => getVariable(name) is { Length: > 0 } value ? value : null;

        var home = ExpandHome(Get("HF_HOME")
            ?? Path.Combine(ExpandHome(Get("XDG_CACHE_HOME") ?? Path.Combine(UserHome(), ".cache")), "huggingface"));
        var cache = ExpandHome(Get("HF_HUB_CACHE") ?? Get("HUGGINGFACE_HUB_CACHE") ?? Path.Combine(home, "hub"));
        var (token, tokenSource) = ReadToken(Get, home);

        return new HubSettings
        {
            Endpoint = ParseEndpoint(Get("HF_ENDPOINT")),
            CacheDirectory = Path.GetFullPath(cache),
            Token = token,
            TokenSource = tokenSource,
            Offline = IsTrue(Get("HF_HUB_OFFLINE") ?? Get("TRANSFORMERS_OFFLINE")),
            DisableSymlinks = IsTrue(Get("HF_HUB_DISABLE_SYMLINKS")),
        };
    }

    /// <summary>Checks and normalizes an endpoint address (HF_ENDPOINT): absolute http(s), no trailing slash.</summary>
    /// <exception cref="HubException">The address is not an absolute http or https URL.</exception>
    public static string ParseEndpoint(string? value)
    {
        if (value is null)
            return DefaultEndpoint;
        var trimmed = value.Trim().TrimEnd('/');
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new HubException(HubErrorKind.Configuration,
                $"HF_ENDPOINT='{value}' is not an http(s) address. Set it to the Hub or a mirror, for example HF_ENDPOINT=https://hf-mirror.com, or unset it for {DefaultEndpoint}.");
        return trimmed;
    }

    // Same order as huggingface_hub: HF_TOKEN, the legacy HUGGING_FACE_HUB_TOKEN, then the token file.
    private static (string? Token, string? Source) ReadToken(Func<string, string?> get, string home)
    {
        if (Clean(get("HF_TOKEN")) is { } token)
            return (token, "HF_TOKEN");
        if (Clean(get("HUGGING_FACE_HUB_TOKEN")) is { } legacy)
            return (legacy, "HUGGING_FACE_HUB_TOKEN");
        var path = ExpandHome(get("HF_TOKEN_PATH") ?? Path.Combine(home, "token"));
        try
        {
            return File.Exists(path) && Clean(File.ReadAllText(path)) is { } fromFile ? (fromFile, path) : (null, null);
        }
        catch (IOException)
        {
            return (null, null);
        }
        catch (UnauthorizedAccessException)
        {
            return (null, null);
        }
    }

    private static string? Clean(string? token) =>
        token?.Replace("\r", "").Replace("\n", "").Trim() is { Length: > 0 } clean ? clean : null;

    private static bool IsTrue(string? value) =>
        value?.Trim().ToUpperInvariant() is "1" or "ON" or "YES" or "TRUE";

    private static string UserHome() => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private static string ExpandHome(string path) =>
        path == "~" ? UserHome()
        : path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(UserHome(), path[2..])
        : path;
}
