using System.Net;
using System.Net.Http;

namespace Tuneforge.Hub.Download;

/// <summary>What a request was for, so an error can name the repository, revision and file.</summary>
internal sealed record RequestContext(string RepoId, string Revision, string? File, string Activity);

/// <summary>The messages of <see cref="HubException"/>: what failed, where, and what the user can do.</summary>
internal static class HubErrors
{
    private const string MirrorHint = "set HF_ENDPOINT to a mirror (for example HF_ENDPOINT=https://hf-mirror.com)";

    public static string Authority(Uri url) => url.GetLeftPart(UriPartial.Authority);

    /// <summary>Maps an HTTP error answer to a final error, or to a retryable failure for 408/429/5xx.</summary>
    public static Exception FromResponse(HttpResponseMessage response, Uri url, RequestContext context, HubSettings settings)
    {
        var status = (int)response.StatusCode;
        var code = Header(response, "X-Error-Code");
        var serverMessage = Header(response, "X-Error-Message");
        var endpoint = settings.Endpoint;
        var repo = context.RepoId;
        var said = serverMessage is null ? "" : $" The server said: \"{serverMessage}\".";

        switch (status)
        {
            case 401 when settings.Token is null:
                return new HubException(HubErrorKind.Unauthorized,
                    $"The Hub at {endpoint} refused access to {repo} (HTTP 401) and no access token is set. " +
                    $"If the model is private or gated, create a token at {endpoint}/settings/tokens and set HF_TOKEN to it; " +
                    $"for a gated model, also accept its license on {endpoint}/{repo}. Otherwise check the repository name.{said}");
            case 401:
                return new HubException(HubErrorKind.Unauthorized,
                    $"The Hub at {endpoint} rejected the access token from {settings.TokenSource} for {repo} (HTTP 401): " +
                    $"the token is wrong, expired or revoked, or the repository does not exist. Set HF_TOKEN to a valid token " +
                    $"from {endpoint}/settings/tokens; for a gated model, also accept its license on {endpoint}/{repo}.{said}");
            case 403 when settings.Token is null:
                return new HubException(HubErrorKind.Forbidden,
                    $"The Hub at {endpoint} denied access to {repo} (HTTP 403) and no access token is set. " +
                    $"Set HF_TOKEN to a token from {endpoint}/settings/tokens; for a gated model, also accept its license on {endpoint}/{repo}.{said}");
            case 403:
                return new HubException(HubErrorKind.Forbidden,
                    $"The Hub at {endpoint} denied access to {repo} (HTTP 403) for the token from {settings.TokenSource}. " +
                    $"If it is a gated model, accept its license on {endpoint}/{repo} with the account that owns the token; " +
                    $"otherwise make sure the token grants read access to the repository.{said}");
            case 404 when code == "RevisionNotFound":
                return new HubException(HubErrorKind.NotFound,
                    $"Revision '{context.Revision}' was not found in {repo} at {endpoint} (HTTP 404). " +
                    $"Use an existing branch, tag or 40-character commit hash; the branches and tags are listed on {endpoint}/{repo}.");
            case 404 when context.File is not null:
                return new HubException(HubErrorKind.NotFound,
                    $"File '{context.File}' of {repo}@{context.Revision} was not found at {Authority(url)} (HTTP 404), although the repository lists it. " +
                    $"Run again; if it persists, the server may be an incomplete mirror: unset HF_ENDPOINT or use another mirror.");
            case 404:
                return new HubException(HubErrorKind.NotFound,
                    $"Model repository '{repo}' was not found at {endpoint} (HTTP 404). " +
                    $"Check the name on {endpoint}/{repo}; if the repository is private, set HF_TOKEN to a token that can read it.");
            case 408 or 429 or >= 500:
                return new TransientHubFailure(
                    new HubException(HubErrorKind.Server,
                        $"The server at {Authority(url)} kept answering HTTP {status} ({response.ReasonPhrase}) while {context.Activity}. " +
                        $"Try again later; if it persists, {MirrorHint}."),
                    RetryAfter(response));
            default:
                return new HubException(HubErrorKind.Protocol,
                    $"Unexpected answer HTTP {status} ({response.ReasonPhrase}) from {Authority(url)} while {context.Activity}.{said} " +
                    $"Check that HF_ENDPOINT (now {endpoint}) is a Hugging Face Hub or mirror.");
        }
    }

    /// <summary>A request that got no answer: connection refused, name not found, TLS, timeout or a dropped body.</summary>
    public static TransientHubFailure Network(Uri url, string reason, RequestContext context, Exception? inner) =>
        new(new HubException(HubErrorKind.Network,
            $"Could not reach {Authority(url)} ({reason}) while {context.Activity}. " +
            $"Check the network connection and proxy settings (HTTPS_PROXY); if the Hub is blocked or slow where you are, {MirrorHint}. " +
            "To use models already in the cache without the network, set HF_HUB_OFFLINE=1.", inner),
            retryAfter: null);

    public static string Describe(HttpRequestException e) => e.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "host name not found",
        HttpRequestError.ConnectionError => "connection refused or reset",
        HttpRequestError.SecureConnectionError => "TLS handshake failed",
        HttpRequestError.ResponseEnded => "connection closed before the answer",
        HttpRequestError.ProxyTunnelError => "proxy tunnel failed",
        _ => e.InnerException?.Message ?? e.Message,
    };

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? contentValues.FirstOrDefault()
        : null;

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };
}

/// <summary>A failure worth retrying; <see cref="Final"/> is thrown once the retries are spent.</summary>
internal sealed class TransientHubFailure(HubException final, TimeSpan? retryAfter) : Exception(final.Message, final.InnerException)
{
    public HubException Final { get; } = final;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
