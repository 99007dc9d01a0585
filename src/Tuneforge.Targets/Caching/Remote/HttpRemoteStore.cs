using System.Net;

namespace Tuneforge.Targets;

/// <summary>A Bazel-style HTTP cache (bazel-remote, nginx with WebDAV, ...): GET, HEAD and PUT of
/// &lt;base&gt;/cas/&lt;sha256&gt; and &lt;base&gt;/ac/&lt;key&gt;.</summary>
public sealed class HttpRemoteStore : IRemoteStore
{
    readonly HttpClient client;
    readonly Uri baseUri;

    public HttpRemoteStore(Uri baseUri)
    {
        this.baseUri = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        // A dead host fails fast; a large blob on a slow link may take long.
        client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) }) { Timeout = TimeSpan.FromMinutes(30) };
    }

    public string Description => baseUri.AbsoluteUri.TrimEnd('/');

    public async Task<long?> SizeAsync(string key, CancellationToken cancellation)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Head, Address(key)), key, cancellation);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        EnsureSuccess(response, "HEAD", key);
        return response.Content.Headers.ContentLength ?? -1;
    }

    public async Task<bool> DownloadAsync(string key, Stream destination, CancellationToken cancellation)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, Address(key)), key, cancellation);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        EnsureSuccess(response, "GET", key);
        await using var body = await response.Content.ReadAsStreamAsync(cancellation);
        await body.CopyToAsync(destination, cancellation);
        return true;
    }

    public async Task UploadFileAsync(string key, string path, CancellationToken cancellation)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        await PutAsync(key, new StreamContent(file, 1 << 20), cancellation);
    }

    public Task UploadAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellation) =>
        PutAsync(key, new ReadOnlyMemoryContent(content), cancellation);

    async Task PutAsync(string key, HttpContent content, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, Address(key)) { Content = content };
        using var response = await SendAsync(request, key, cancellation);
        EnsureSuccess(response, "PUT", key);
    }

    Uri Address(string key) => new(baseUri, key);

    async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string key, CancellationToken cancellation)
    {
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        }
        catch (HttpRequestException e)
        {
            throw new RemoteStoreException($"cannot reach {Description} ({request.Method} {key}): {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw new RemoteStoreException($"{Description} did not answer {request.Method} {key} in {client.Timeout.TotalMinutes:0} minutes", e);
        }
    }

    void EnsureSuccess(HttpResponseMessage response, string method, string key)
    {
        if (response.IsSuccessStatusCode) return;
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        throw new RemoteStoreException(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            ? $"{Description} refused {method} {key} ({status}): the cache asks for credentials, which an http(s) remote does not send"
            : $"{Description} answered {method} {key} with {status}");
    }

    public void Dispose() => client.Dispose();
}
