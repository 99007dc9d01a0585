namespace Tuneforge.Targets;

/// <summary>Opens the remote cache the build's parameters name (--cache-remote and its settings). Credentials never come
/// from the URL: they would end in logs and job summaries. S3 takes them from the standard AWS variables or profile.</summary>
public static class RemoteStores
{
    const string Forms = "s3://bucket/prefix, http(s)://host/path or file:///path";

    public static RemoteCache? Open(NukeBuild build, IReadOnlyDictionary<string, string> environment)
    {
        if (string.IsNullOrWhiteSpace(build.CacheRemote) || build.CacheRemoteMode == CacheRemoteMode.Off) return null;
        try
        {
            return new RemoteCache(OpenStore(build, environment), build.CacheRemoteMode);
        }
        catch (RemoteStoreException e)
        {
            RemoteCache.ReportUnusable(e);
            return null;
        }
    }

    static IRemoteStore OpenStore(NukeBuild build, IReadOnlyDictionary<string, string> environment)
    {
        var text = build.CacheRemote!.Trim();
        var scheme = text.Contains("://", StringComparison.Ordinal) ? text[..text.IndexOf("://", StringComparison.Ordinal)].ToLowerInvariant() : "";
        if (scheme == "s3") return S3Stores.Open(text["s3://".Length..], build, environment);
        if (scheme is not ("http" or "https" or "file") || !Uri.TryCreate(text, UriKind.Absolute, out var uri))
            throw new BuildException($"--cache-remote: '{Redacted(text)}' is not a remote cache URL; use {Forms}.");
        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0)
            throw new BuildException("--cache-remote: the URL carries a user, password or query; credentials in a URL end in logs. " +
                                     "Use an http(s) cache that needs none, or an s3:// remote with AWS credentials from the environment.");
        return scheme == "file" ? new FileRemoteStore(uri.LocalPath) : new HttpRemoteStore(uri);
    }

    // A rejected URL is echoed without anything between '://' and '@'.
    internal static string Redacted(string url)
    {
        var at = url.IndexOf('@');
        var start = url.IndexOf("://", StringComparison.Ordinal);
        return at > start && start >= 0 ? url[..(start + 3)] + "***" + url[at..] : url;
    }
}
