using System.Diagnostics;
using Amazon.S3;
using Amazon.S3.Model;

namespace Tuneforge.Targets.Tests;

/// <summary>The real servers the remote cache is tested against, started on loopback by eng/test-servers/*.sh (which
/// .ci/run also calls): OpenStack Swift's S3 API and nginx's WebDAV module. Missing packages skip the tests outside CI
/// and fail them under CI=true. Servers these tests started are stopped when the collection is done.</summary>
public sealed class RemoteServers : IDisposable
{
    public const string SwiftAccessKey = "test:tester";

    static readonly Dictionary<string, (string Script, string[] Commands)> Servers = new()
    {
        ["s3"] = ("swift.sh", ["swift-proxy-server", "swift-account-server", "swift-container-server", "swift-object-server", "swift-ring-builder", "memcached", "curl"]),
        ["http"] = ("nginx-dav.sh", ["nginx", "curl"]),
        ["file"] = ("", []),
    };

    readonly Dictionary<string, Dictionary<string, string>> ready = [];
    readonly List<string> startedHere = [];

    static bool UnderCi => Environment.GetEnvironmentVariable("CI") is "true" or "True" or "1";

    /// <summary>Why the server of a store kind cannot run here (outside CI only), or null.</summary>
    public static string? MissingReason(string kind)
    {
        var missing = Servers[kind].Commands.Where(c => !OnPath(c)).ToList();
        if (missing.Count == 0 || UnderCi) return null;
        return $"{string.Join(", ", missing)} not installed (Debian: see eng/test-servers/{Servers[kind].Script}; .ci/run installs them)";
    }

    /// <summary>Starts the server (once per test run; the script returns at once when it already answers) and gives its
    /// settings: endpoint, access_key, secret_key.</summary>
    public IReadOnlyDictionary<string, string> Ensure(string kind)
    {
        if (ready.TryGetValue(kind, out var known)) return known;
        var script = Script(kind);
        var (code, output) = Run(script, "start");
        if (code != 0) throw new InvalidOperationException($"{script} start failed (exit {code}): {output}");
        if (output.Contains("started")) startedHere.Add(kind);
        var settings = Run(script, "env").Output.Trim().Split(' ').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        if (kind == "s3") CreateBucket(settings);
        return ready[kind] = settings;
    }

    static string Script(string kind) => Path.Combine(Repository.Root, "eng", "test-servers", Servers[kind].Script);

    public void Dispose()
    {
        foreach (var kind in startedHere) Run(Script(kind), "stop");
    }

    public const string Bucket = "tuneforge-cache-tests";

    public static AmazonS3Client S3Client(IReadOnlyDictionary<string, string> settings) =>
        new(settings["access_key"], settings["secret_key"], new AmazonS3Config
        {
            ServiceURL = settings["endpoint"], ForcePathStyle = true, AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
        });

    static void CreateBucket(IReadOnlyDictionary<string, string> settings)
    {
        using var client = S3Client(settings);
        try
        {
            client.PutBucketAsync(new PutBucketRequest { BucketName = Bucket }).GetAwaiter().GetResult();
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
    }

    static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin"]).Any(d => File.Exists(Path.Combine(d, command)));

    static (int ExitCode, string Output) Run(string script, string verb)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(verb);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out after 120 s");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

[CollectionDefinition(Name)]
public sealed class RemoteServersCollection : ICollectionFixture<RemoteServers>
{
    public const string Name = "remote cache servers";
}

/// <summary>A theory row per store kind ("file", "http", "s3"), skipped with its reason where that server is missing
/// outside CI.</summary>
public sealed class RemoteStoreAttribute : Xunit.Sdk.DataAttribute
{
    readonly string kind;

    public RemoteStoreAttribute(string kind)
    {
        this.kind = kind;
        if (RemoteServers.MissingReason(kind) is { } reason) Skip = reason;
    }

    public override IEnumerable<object[]> GetData(System.Reflection.MethodInfo testMethod) => [[kind]];
}
