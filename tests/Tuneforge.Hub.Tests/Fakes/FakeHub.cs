using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Tuneforge.Hub.Tests.Fakes;

/// <summary>A request the fake Hub received.</summary>
public sealed record SeenRequest(string Method, string Target, bool ToCdn, string? Authorization, string? Range);

/// <summary>
/// An in-process server that answers like huggingface.co (api/models/.../revision, resolve with X-Repo-Commit,
/// X-Linked-Etag and X-Linked-Size, LFS files redirected to a CDN on another port), with faults to inject.
/// </summary>
public sealed class FakeHub : IAsyncDisposable
{
    private readonly WebApplication app;
    private int failuresLeft;

    private FakeHub(WebApplication app) => this.app = app;

    public int HubPort { get; private set; }
    public int CdnPort { get; private set; }
    public string Endpoint => $"http://127.0.0.1:{HubPort}";
    public string CdnAuthority => $"http://127.0.0.1:{CdnPort}";

    public ConcurrentDictionary<string, FakeRepo> Repos { get; } = new(StringComparer.Ordinal);
    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    /// <summary>Per content SHA-256: the next download of it stops after this many bytes and the connection is cut.</summary>
    public ConcurrentDictionary<string, long> CutOnce { get; } = new();

    /// <summary>Per content SHA-256: the next download of it ends cleanly after this many bytes (no Content-Length).</summary>
    public ConcurrentDictionary<string, long> EndEarlyOnce { get; } = new();

    /// <summary>Contents (by SHA-256 or git oid) served with one byte changed.</summary>
    public ConcurrentDictionary<string, bool> Corrupt { get; } = new();

    /// <summary>Contents (by SHA-256 or git oid) served with extra bytes appended.</summary>
    public ConcurrentDictionary<string, bool> Oversize { get; } = new();

    /// <summary>The next this many requests get <see cref="FailureStatus"/>.</summary>
    public int FailuresLeft { set => Volatile.Write(ref failuresLeft, value); }
    public int FailureStatus { get; set; } = 503;

    /// <summary>Renamed repositories: old id to new id, answered with a relative 307 as the Hub does.</summary>
    public ConcurrentDictionary<string, string> Renames { get; } = new(StringComparer.Ordinal);

    /// <summary>Every Hub request gets an HTML login page, as behind a captive portal.</summary>
    public bool CaptivePortal { get; set; }

    /// <summary>Delay before answering the API (to test timeouts).</summary>
    public TimeSpan ApiDelay { get; set; }

    public static async Task<FakeHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        var hub = new FakeHub(app);
        app.Run(hub.HandleAsync);
        await app.StartAsync();
        var ports = app.Urls.Select(u => new Uri(u).Port).ToList();
        hub.HubPort = ports[0];
        hub.CdnPort = ports[1];
        return hub;
    }

    public FakeRepo AddRepo(string id)
    {
        var repo = new FakeRepo(id);
        Repos[id] = repo;
        return repo;
    }

    public IReadOnlyList<SeenRequest> Seen => Requests.ToList();

    private async Task HandleAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var toCdn = context.Connection.LocalPort == CdnPort;
        Requests.Enqueue(new SeenRequest(context.Request.Method, target, toCdn,
            context.Request.Headers.Authorization.FirstOrDefault(), context.Request.Headers.Range.FirstOrDefault()));

        if (Interlocked.Decrement(ref failuresLeft) >= 0)
        {
            context.Response.StatusCode = FailureStatus;
            return;
        }
        if (CaptivePortal && !toCdn)
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html><body>Log in to the Wi-Fi</body></html>");
            return;
        }
        var path = target.Split('?')[0];
        var segments = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();

        var renamed = Renames.FirstOrDefault(r => path.Contains($"/{r.Key}/", StringComparison.Ordinal));
        if (!toCdn && renamed.Key is not null)
        {
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = target.Replace($"/{renamed.Key}/", $"/{renamed.Value}/");
            return;
        }
        if (toCdn)
            await ServeCdnAsync(context, segments);
        else if (segments is ["api", "models", var org, var name, "revision", var revision])
            await ServeRevisionAsync(context, $"{org}/{name}", revision);
        else if (segments.Length >= 5 && segments[2] == "resolve")
            await ServeResolveAsync(context, $"{segments[0]}/{segments[1]}", segments[3], string.Join('/', segments[4..]));
        else
            context.Response.StatusCode = 404;
    }

    private async Task ServeRevisionAsync(HttpContext context, string repoId, string revision)
    {
        if (ApiDelay > TimeSpan.Zero)
            await Task.Delay(ApiDelay, context.RequestAborted);
        if (!Authorize(context, repoId, out var repo))
            return;
        var commit = repo.Resolve(revision);
        if (commit is null)
        {
            Error(context, 404, "RevisionNotFound", $"Invalid rev id: {revision}");
            return;
        }
        var siblings = repo.Commits[commit].Values.Select(f => f.Lfs
            ? (object)new { rfilename = f.Path, size = f.Content.Length, blobId = PointerOid(f), lfs = new { size = f.Content.Length, sha256 = f.Sha256, pointerSize = 134 } }
            : new { rfilename = f.Path, size = f.Content.Length, blobId = f.GitOid });
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { _id = "0123", id = repoId, sha = commit, siblings }));
    }

    private async Task ServeResolveAsync(HttpContext context, string repoId, string revision, string file)
    {
        if (!Authorize(context, repoId, out var repo))
            return;
        var commit = repo.Resolve(revision);
        if (commit is null)
        {
            Error(context, 404, "RevisionNotFound", $"Invalid rev id: {revision}");
            return;
        }
        context.Response.Headers["X-Repo-Commit"] = commit;
        if (!repo.Commits[commit].TryGetValue(file, out var content))
        {
            Error(context, 404, "EntryNotFound", $"{file} does not exist on \"{revision}\"");
            return;
        }
        if (content.Lfs)
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = $"{CdnAuthority}/lfs/{content.Sha256}?expires=1700000000&signature=abc";
            context.Response.Headers["X-Linked-Etag"] = $"\"{content.Sha256}\"";
            context.Response.Headers["X-Linked-Size"] = content.Content.Length.ToString();
            context.Response.Headers.ETag = $"\"{PointerOid(content)}\"";
            return;
        }
        context.Response.Headers.ETag = $"\"{content.GitOid}\"";
        await ServeBytesAsync(context, content.GitOid, content.Content);
    }

    private async Task ServeCdnAsync(HttpContext context, string[] segments)
    {
        var file = segments is ["lfs", var sha]
            ? Repos.Values.SelectMany(r => r.Commits.Values).SelectMany(c => c.Values).FirstOrDefault(f => f.Sha256 == sha)
            : null;
        if (file is null)
        {
            context.Response.StatusCode = 404;
            return;
        }
        await ServeBytesAsync(context, file.Sha256, file.Content);
    }

    private async Task ServeBytesAsync(HttpContext context, string key, byte[] original)
    {
        var content = original;
        if (Corrupt.ContainsKey(key))
        {
            content = (byte[])original.Clone();
            content[content.Length / 2] ^= 0xFF;
        }
        if (Oversize.ContainsKey(key))
            content = [.. original, 1, 2, 3];

        long start = 0;
        var range = context.Request.Headers.Range.FirstOrDefault();
        if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            start = long.Parse(range["bytes=".Length..^1]);
            if (start >= content.Length)
            {
                context.Response.StatusCode = 416;
                context.Response.Headers.ContentRange = $"bytes */{content.Length}";
                return;
            }
            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {start}-{content.Length - 1}/{content.Length}";
        }
        context.Response.Headers.AcceptRanges = "bytes";
        if (!HttpMethods.IsHead(context.Request.Method) && EndEarlyOnce.TryRemove(key, out var end))
        {
            // Chunked, so the short body ends without an error: only the size tells it is incomplete.
            await context.Response.Body.WriteAsync(content.AsMemory((int)start, (int)(end - start)));
            return;
        }
        context.Response.ContentLength = content.Length - start;
        if (HttpMethods.IsHead(context.Request.Method))
            return;

        var stopAt = CutOnce.TryRemove(key, out var cut) ? cut : long.MaxValue;
        for (var position = start; position < content.Length; position += 16 * 1024)
        {
            var count = (int)Math.Min(16 * 1024, content.Length - position);
            if (position + count > stopAt)
            {
                await context.Response.Body.WriteAsync(content.AsMemory((int)position, (int)Math.Max(0, stopAt - position)));
                await context.Response.Body.FlushAsync();
                await Task.Delay(100); // Lets the bytes reach the client before the reset.
                context.Abort(); // The connection drops mid-file.
                return;
            }
            await context.Response.Body.WriteAsync(content.AsMemory((int)position, count));
        }
    }

    private bool Authorize(HttpContext context, string repoId, out FakeRepo repo)
    {
        var authorization = context.Request.Headers.Authorization.FirstOrDefault();
        var token = authorization?.StartsWith("Bearer ", StringComparison.Ordinal) == true ? authorization["Bearer ".Length..] : null;
        if (!Repos.TryGetValue(repoId, out repo!))
        {
            // Like the Hub: without a token a missing repository looks like a private one (401).
            Error(context, token is null ? 401 : 404, "RepoNotFound", "Repository not found");
            return false;
        }
        if (repo.Token is null)
            return true;
        if (token is null)
        {
            Error(context, 401, "GatedRepo", "Access to this model is restricted. You must be authenticated to access it.");
            return false;
        }
        if (token != repo.Token)
        {
            Error(context, 401, null, "Invalid credentials in Authorization header");
            return false;
        }
        if (repo.GatedNotAccepted)
        {
            Error(context, 403, "GatedRepo", $"Access to model {repoId} is restricted and you are not in the authorized list.");
            return false;
        }
        return true;
    }

    private static void Error(HttpContext context, int status, string? code, string message)
    {
        context.Response.StatusCode = status;
        if (code is not null)
            context.Response.Headers["X-Error-Code"] = code;
        context.Response.Headers["X-Error-Message"] = message;
    }

    private static string PointerOid(FakeFile file) => file.Sha256[..40];

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
