using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Tuneforge.Hub.Sources;

namespace Tuneforge.Hub.Download;

/// <summary>A repository's commit and files at a revision, from <c>/api/models/{repo}/revision/{rev}</c>.</summary>
internal sealed record RevisionListing(string Commit, IReadOnlyList<RepoFileInfo> Files);

/// <summary>What a HEAD on <c>/{repo}/resolve/{commit}/{file}</c> tells: where to download and what to expect.</summary>
internal sealed record FileMetadata(string Commit, string Etag, long Size, Uri DownloadUrl);

/// <summary>The Hub's HTTP protocol, as huggingface_hub speaks it (file_download.py, hf_api.py).</summary>
internal sealed class HubHttp(HttpClient client, HubSettings settings, HubClientOptions options)
{
    private const int MaxRedirects = 10;
    private readonly string endpointAuthority = HubErrors.Authority(new Uri(settings.Endpoint));

    public async Task<RevisionListing> GetRevisionAsync(HubModelSource source, RequestContext context, CancellationToken cancellation)
    {
        var url = new Uri($"{settings.Endpoint}/api/models/{source.RepoId}/revision/{Uri.EscapeDataString(source.Revision)}?blobs=true");
        var (response, finalUrl) = await SendAsync(HttpMethod.Get, url, followAbsoluteRedirects: true, rangeFrom: 0, context, cancellation).ConfigureAwait(false);
        using (response)
        {
            EnsureSuccess(response, finalUrl, context);
            string body;
            try
            {
                body = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                throw HubErrors.Network(finalUrl, "connection dropped while reading the answer", context, e);
            }
            return ParseRevision(body, finalUrl, context);
        }
    }

    public async Task<FileMetadata> HeadFileAsync(string repoId, string commit, string file, RequestContext context, CancellationToken cancellation)
    {
        var path = string.Join('/', file.Split('/').Select(Uri.EscapeDataString));
        var url = new Uri($"{settings.Endpoint}/{repoId}/resolve/{commit}/{path}");
        var (response, finalUrl) = await SendAsync(HttpMethod.Head, url, followAbsoluteRedirects: false, rangeFrom: 0, context, cancellation).ConfigureAwait(false);
        using (response)
        {
            var redirected = IsRedirect(response.StatusCode);
            if (!redirected)
                EnsureSuccess(response, finalUrl, context);

            var repoCommit = HubErrors.Header(response, "X-Repo-Commit");
            var etag = NormalizeEtag(HubErrors.Header(response, "X-Linked-Etag") ?? HubErrors.Header(response, "ETag"));
            var sizeText = HubErrors.Header(response, "X-Linked-Size");
            long? size = long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var linked) ? linked
                : redirected ? null : response.Content.Headers.ContentLength;
            string? missing = repoCommit is null ? "X-Repo-Commit" : etag is null ? "ETag" : size is null ? "a size (X-Linked-Size or Content-Length)" : null;
            if (missing is not null)
                throw new HubException(HubErrorKind.Protocol,
                    $"{HubErrors.Authority(finalUrl)} answered for '{file}' of {repoId} without {missing}, which every Hugging Face Hub sends. " +
                    $"Check that HF_ENDPOINT (now {settings.Endpoint}) is a Hub or mirror, and that no proxy rewrites the answers.");

            var downloadUrl = redirected && response.Headers.Location is { } location ? new Uri(finalUrl, location) : finalUrl;
            return new FileMetadata(repoCommit!.ToLowerInvariant(), etag!, size!.Value, downloadUrl);
        }
    }

    /// <summary>GET of a file from <paramref name="rangeFrom"/> on, following redirects (the token goes to the endpoint's host only).</summary>
    public async Task<HttpResponseMessage> GetFileAsync(Uri url, long rangeFrom, RequestContext context, CancellationToken cancellation)
    {
        var (response, finalUrl) = await SendAsync(HttpMethod.Get, url, followAbsoluteRedirects: true, rangeFrom, context, cancellation).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            return response;
        try
        {
            EnsureSuccess(response, finalUrl, context);
        }
        catch
        {
            response.Dispose();
            throw;
        }
        return response;
    }

    private async Task<(HttpResponseMessage Response, Uri Url)> SendAsync(
        HttpMethod method, Uri url, bool followAbsoluteRedirects, long rangeFrom, RequestContext context, CancellationToken cancellation)
    {
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.UserAgent.ParseAdd(options.UserAgent);
            // The real size is wanted, never a gzip of it (file_download.py does the same).
            request.Headers.AcceptEncoding.ParseAdd("identity");
            if (settings.Token is not null && HubErrors.Authority(url) == endpointAuthority)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
            if (rangeFrom > 0)
                request.Headers.Range = new RangeHeaderValue(rangeFrom, null);

            HttpResponseMessage response;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
            {
                timeout.CancelAfter(options.RequestTimeout);
                try
                {
                    response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                }
                catch (HttpRequestException e)
                {
                    throw HubErrors.Network(url, HubErrors.Describe(e), context, e);
                }
                catch (OperationCanceledException e) when (!cancellation.IsCancellationRequested)
                {
                    throw HubErrors.Network(url, $"no answer within {options.RequestTimeout.TotalSeconds:0.#} s", context, e);
                }
            }

            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
                return (response, url);
            // Relative redirects are repository renames on the same host; absolute ones lead to a CDN.
            if (location.IsAbsoluteUri && !followAbsoluteRedirects)
                return (response, url);
            response.Dispose();
            if (hop >= MaxRedirects)
                throw new HubException(HubErrorKind.Protocol, $"More than {MaxRedirects} redirects while {context.Activity}, last to {url}.");
            url = new Uri(url, location);
        }
    }

    private void EnsureSuccess(HttpResponseMessage response, Uri url, RequestContext context)
    {
        if ((int)response.StatusCode is >= 200 and < 300)
            return;
        throw HubErrors.FromResponse(response, url, context, settings);
    }

    private RevisionListing ParseRevision(string body, Uri url, RequestContext context)
    {
        HubException NotAHub(string problem) => new(HubErrorKind.Protocol,
            $"The answer of {HubErrors.Authority(url)} for {context.RepoId}@{context.Revision} {problem}. " +
            $"Check that HF_ENDPOINT (now {settings.Endpoint}) is a Hugging Face Hub or mirror, and that no proxy or captive portal answers instead.");
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw NotAHub("is not a JSON object");
            if (!root.TryGetProperty("sha", out var sha) || sha.ValueKind != JsonValueKind.String || !HubModelSource.IsCommitHash(sha.GetString()))
                throw NotAHub("has no 40-character commit \"sha\"");
            if (!root.TryGetProperty("siblings", out var siblings) || siblings.ValueKind != JsonValueKind.Array)
                throw NotAHub("has no \"siblings\" file list");
            var files = new List<RepoFileInfo>();
            foreach (var sibling in siblings.EnumerateArray())
            {
                if (!sibling.TryGetProperty("rfilename", out var name) || name.ValueKind != JsonValueKind.String)
                    throw NotAHub("lists a file without \"rfilename\"");
                var lfs = sibling.TryGetProperty("lfs", out var l) && l.ValueKind == JsonValueKind.Object ? l : (JsonElement?)null;
                files.Add(new RepoFileInfo(
                    name.GetString()!,
                    Int64(sibling, "size"),
                    String(sibling, "blobId"),
                    lfs is { } lfsInfo ? String(lfsInfo, "sha256") : null,
                    lfs is { } lfsSized ? Int64(lfsSized, "size") : null));
            }
            return new RevisionListing(sha.GetString()!.ToLowerInvariant(), files);
        }
        catch (JsonException e)
        {
            var start = (body.Length > 60 ? body[..60] + "…" : body).ReplaceLineEndings(" ");
            var error = NotAHub($"is not JSON (it starts with \"{start}\")");
            throw new HubException(error.Kind, error.Message, e);
        }
    }

    private static long? Int64(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    // ETag: W/"<value>" or "<value>" (huggingface_hub's _normalize_etag).
    private static string? NormalizeEtag(string? etag)
    {
        if (etag is null)
            return null;
        var value = etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag;
        value = value.Trim('"');
        return value.Length == 0 ? null : value;
    }
}
