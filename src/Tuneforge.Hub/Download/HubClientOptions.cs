using System.Globalization;

namespace Tuneforge.Hub.Download;

/// <summary>Timeouts and retries of <see cref="HubClient"/>; the defaults follow huggingface_hub's.</summary>
public sealed record HubClientOptions
{
    /// <summary>Retries after a 5xx/429/408 answer, a timeout or a dropped connection (bytes received reset the count).</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>The first wait between retries; it doubles each time, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between retries (also caps a server's Retry-After).</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>How long to wait for the response headers of one request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a download may receive nothing before the connection counts as dropped.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for another process downloading the same file.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The User-Agent header.</summary>
    public string UserAgent { get; init; } = "tuneforge-hub/0.1";

    /// <summary>
    /// The defaults, with huggingface_hub's timeout variables applied: HF_HUB_ETAG_TIMEOUT (seconds to wait for an
    /// answer) and HF_HUB_DOWNLOAD_TIMEOUT (seconds a download may stall), useful on slow links and mirrors.
    /// </summary>
    /// <exception cref="HubException">A variable is not a positive number of seconds.</exception>
    public static HubClientOptions FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var defaults = new HubClientOptions();
        return defaults with
        {
            RequestTimeout = Seconds(getVariable, "HF_HUB_ETAG_TIMEOUT") ?? defaults.RequestTimeout,
            ReadTimeout = Seconds(getVariable, "HF_HUB_DOWNLOAD_TIMEOUT") ?? defaults.ReadTimeout,
        };
    }

    private static TimeSpan? Seconds(Func<string, string?> getVariable, string name)
    {
        var text = getVariable(name);
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= 86_400)
            return TimeSpan.FromSeconds(seconds);
        throw new HubException(HubErrorKind.Configuration, $"{name}='{text}' is not a number of seconds between 0 and 86400; set it to, for example, {name}=60.");
    }

    /// <summary>Free bytes on the disk of a folder; replaced in tests.</summary>
    internal Func<string, long?> FreeSpaceProbe { get; init; } = DiskSpace.AvailableBytes;
}
