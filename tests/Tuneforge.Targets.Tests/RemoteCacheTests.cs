using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tuneforge.Targets.Tests;

/// <summary>The shared cache against real stores on loopback: a folder (file://), nginx's WebDAV (http://, Bazel-style)
/// and OpenStack Swift's S3 API (s3://), with fake targets A → B → C built in two clones of one repository.</summary>
[Collection(RemoteServersCollection.Name)]
public class RemoteCacheTests : IDisposable
{
    readonly RemoteServers servers;
    readonly TempRoot first = Clone(), second = Clone(), third = Clone(), scratch = new();

    public RemoteCacheTests(RemoteServers servers) => this.servers = servers;

    public void Dispose()
    {
        foreach (var root in new[] { first, second, third, scratch }) root.Dispose();
    }

    static TempRoot Clone()
    {
        var root = new TempRoot();
        Directory.CreateDirectory(root.File("data"));
        File.WriteAllText(root.File("data/input.txt"), "shared input");
        return root;
    }

    static (List<string> Executed, string Output) Build(TempRoot root, TestRemote? remote, params string[] args)
    {
        Trace.Executed.Clear();
        var (code, output) = root.Run<RemoteBuild>(remote?.Environment ?? [], ["C", .. remote?.Arguments ?? [], .. args]);
        Assert.True(code == 0, output);
        return ([.. Trace.Executed], output);
    }

    static string Entry(TempRoot root, string target) =>
        Directory.GetDirectories(root.File($".nuke/cache/{target}")).Single(d => !Path.GetFileName(d).StartsWith('.'));

    static CacheEntryInfo Info(TempRoot root, string target) =>
        JsonSerializer.Deserialize<CacheEntryInfo>(File.ReadAllText(Path.Combine(Entry(root, target), CacheEntryInfo.FileName)))!;

    [Theory, RemoteStore("file"), RemoteStore("http"), RemoteStore("s3")]
    public void A_second_clone_with_an_empty_local_cache_gets_every_target_from_the_remote(string kind)
    {
        using var remote = new TestRemote(kind, servers, scratch);
        Assert.Equal(["A", "B", "C"], Build(first, remote).Executed);
        Assert.Equal(3, remote.Keys().Count(k => k.StartsWith("ac/")));
        Assert.Equal(4, remote.Keys().Count(k => k.StartsWith("cas/"))); // a.txt, sub/nested.bin, b.txt, c.txt

        var (executed, output) = Build(second, remote);
        Assert.Empty(executed);
        Assert.Matches(@"A\s+UpToDate\s+\S+(\s\S+)?\s+// key: [0-9a-f]{12}, chars: 12, from: remote", output);
        Assert.Matches(@"B\s+UpToDate\s+.*// key: [0-9a-f]{12}, from: remote", output);
        Assert.Matches(@"C\s+UpToDate\s+.*// key: [0-9a-f]{12}, from: remote", output);
        Assert.Equal("SHARED INPUT+b+c", File.ReadAllText(Path.Combine(Entry(second, "C"), "c.txt")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(Entry(first, "A"), "sub", "nested.bin")), File.ReadAllBytes(second.File("artifacts/remote/a/sub/nested.bin")));
        // Committed like a computed entry: the same key, files with hashes and this disk's times; the next run is a local hit.
        Assert.Equal(Path.GetFileName(Entry(first, "C")), Path.GetFileName(Entry(second, "C")));
        Assert.All(Info(second, "A").Files!, f => Assert.NotNull(f.ModifiedTicks));
        Assert.Equal(Info(first, "A").Files!.Select(f => (f.Path, f.Size, f.Sha256)), Info(second, "A").Files!.Select(f => (f.Path, f.Size, f.Sha256)));
        var (again, local) = Build(second, remote);
        Assert.Empty(again);
        Assert.DoesNotContain("from: remote", local);
    }

    [Theory, RemoteStore("file"), RemoteStore("http"), RemoteStore("s3")]
    public void A_truncated_remote_blob_is_detected_rebuilt_and_replaced(string kind)
    {
        using var remote = new TestRemote(kind, servers, scratch);
        Build(first, remote);
        var b = Info(first, "B");
        var file = Assert.Single(b.Files!);
        var blob = $"cas/{file.Sha256}";
        var original = remote.Read(blob)!;
        remote.Write(blob, original[..^3]);

        var (executed, output) = Build(second, remote);
        Assert.Equal(["B"], executed);
        Assert.Contains($"The remote entry of B ({b.Key[..12]}) on ", output);
        Assert.Contains($" is damaged: the blob of b.txt (cas/{file.Sha256[..12]}…): it has {original.Length - 3} bytes, {original.Length} in the manifest (truncated); " +
                        "B runs instead and its result replaces that entry.", output);
        Assert.Matches(@"C\s+UpToDate\s+.*from: remote", output);
        Assert.Equal("SHARED INPUT+b", File.ReadAllText(Path.Combine(Entry(second, "B"), "b.txt")));
        Assert.Empty(Directory.GetDirectories(second.File(".nuke/cache/B"), ".remote-*"));
        Assert.Equal(original, remote.Read(blob));
        Assert.Empty(Build(third, remote).Executed);
    }

    [Theory, RemoteStore("file")]
    public void A_blob_longer_than_its_manifest_says_is_stopped_at_that_size(string kind)
    {
        using var remote = new TestRemote(kind, servers, scratch);
        Build(first, remote);
        var file = Assert.Single(Info(first, "B").Files!);
        remote.Write($"cas/{file.Sha256}", new byte[file.Size + 100_000]);
        var (executed, output) = Build(second, remote);
        Assert.Equal(["B"], executed);
        Assert.Contains($"the blob of b.txt (cas/{file.Sha256[..12]}…): it has more than the {file.Size} bytes expected;", output);
    }

    [Theory, RemoteStore("file")]
    public void A_manifest_that_points_outside_its_entry_is_refused(string kind)
    {
        using var remote = new TestRemote(kind, servers, scratch);
        Build(first, remote);
        var a = Info(first, "A");
        var hostile = a with { Files = [.. a.Files!, new EntryFile("../../escaped.txt", 1, a.Files![0].Sha256)] };
        remote.Write($"ac/{a.Key}", JsonSerializer.SerializeToUtf8Bytes(hostile));
        var (executed, output) = Build(second, remote);
        Assert.Equal(["A"], executed);
        Assert.Contains("is damaged: its manifest lists the path '../../escaped.txt', which an entry cannot hold; A runs instead", output);
        Assert.False(File.Exists(second.File(".nuke/escaped.txt")));
    }

    [Theory, RemoteStore("s3")]
    public void A_wrong_secret_is_one_warning_and_the_build_goes_on_with_the_local_cache(string kind)
    {
        using var remote = new TestRemote(kind, servers, scratch);
        Build(first, remote);
        remote.Environment["AWS_SECRET_ACCESS_KEY"] = "tf-wrong-secret-0d9f";

        var (hits, warned) = Build(first, remote);
        Assert.Empty(hits);
        Assert.Single(Regex.Matches(warned, "Remote cache: "));
        Assert.True(Regex.IsMatch(warned, @"Remote cache: s3://tuneforge-cache-tests/[0-9a-f]{32} at http://127\.0\.0\.1:\d+ refused the credentials \(HEAD ac/[0-9a-f]{64}: 403 Forbidden\)\. " +
                                          @"Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, and the bucket's permissions\. The build goes on with the local cache only\."), warned);

        var (executed, output) = Build(second, remote);
        Assert.Equal(["A", "B", "C"], executed);
        Assert.Single(Regex.Matches(output, "refused the credentials"));
        Assert.Contains("(GET ac/", output); // a GET's error body names the cause
        Assert.Contains(": 403 SignatureDoesNotMatch)", output);
    }

    [Theory, RemoteStore("s3")]
    public void Secrets_reach_no_file_under_nuke_or_artifacts_and_no_output(string kind)
    {
        using var remote = new TestRemote(kind, servers, scratch);
        var secret = remote.Secret!;
        const string wrong = "tf-wrong-secret-0d9f";
        var outputs = new List<string> { Build(first, remote).Output, Build(second, remote).Output };
        Assert.NotEmpty(remote.Keys());
        remote.Environment["AWS_SECRET_ACCESS_KEY"] = wrong;
        outputs.Add(Build(third, remote, "--verbosity", "verbose").Output);

        foreach (var output in outputs)
        {
            Assert.DoesNotContain(secret, output);
            Assert.DoesNotContain(wrong, output);
        }
        foreach (var root in new[] { first, second, third })
            foreach (var folder in new[] { ".nuke", "artifacts" })
                foreach (var path in Directory.EnumerateFiles(root.File(folder), "*", SearchOption.AllDirectories))
                {
                    var content = File.ReadAllText(path);
                    Assert.False(content.Contains(secret) || content.Contains(wrong), $"{path} holds a secret");
                }
        Assert.True(File.Exists(third.File(".nuke/temp/build.log")));
    }

    [Fact]
    public void Remote_settings_never_enter_a_cache_key()
    {
        var (_, alone) = Build(first, null);
        var remoteSettings = new[]
        {
            "--cache-remote", new Uri(scratch.File("remote")).AbsoluteUri, "--cache-remote-mode", "read",
            "--cache-remote-endpoint", "http://127.0.0.1:9", "--cache-remote-region", "eu-west-1", "--cache-remote-path-style", "--cache-remote-chunked-encoding",
        };
        var (executed, withRemote) = Build(first, null, remoteSettings);
        Assert.Empty(executed);
        static List<string> Keys(string output) => Regex.Matches(output, @"// key: ([0-9a-f]{12})").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3, Keys(alone).Count);
        Assert.Equal(Keys(alone), Keys(withRemote));
        foreach (var target in new[] { "A", "B", "C" })
            Assert.DoesNotContain(Info(first, target).Inputs, line => line.Contains("remote") || line.Contains("127.0.0.1"));
    }

    [Fact]
    public void Read_mode_downloads_but_never_uploads_and_off_ignores_the_remote()
    {
        using var remote = new TestRemote("file", servers, scratch);
        Assert.Equal(["A", "B", "C"], Build(first, remote, "--cache-remote-mode", "read").Executed);
        Assert.Empty(remote.Keys());
        var (hits, upload) = Build(first, remote); // read-write: local hits fill the remote that lacks them
        Assert.Empty(hits);
        Assert.Contains("Uploaded A ", upload);
        Assert.Equal(7, remote.Keys().Count);
        Assert.Equal(["A", "B", "C"], Build(second, remote, "--cache-remote-mode", "off").Executed);
        var (executed, output) = Build(third, remote, "--cache-remote-mode", "read");
        Assert.Empty(executed);
        Assert.DoesNotContain("Uploaded", output);
    }

    [Fact]
    public void The_remote_is_also_set_by_TUNEFORGE_CACHE_REMOTE_and_by_parameters_json()
    {
        var url = new Uri(scratch.File("shared")).AbsoluteUri;
        Trace.Executed.Clear();
        var (code, output) = first.Run<RemoteBuild>(new Dictionary<string, string> { ["TUNEFORGE_CACHE_REMOTE"] = url }, "C");
        Assert.True(code == 0, output);
        Assert.Contains("Uploaded C ", output);
        File.WriteAllText(second.File(".nuke/parameters.json"), $$"""{ "CacheRemote": "{{url}}", "CacheRemoteMode": "read" }""");
        var (executed, downloaded) = Build(second, null);
        Assert.Empty(executed);
        Assert.Matches(@"C\s+UpToDate\s+.*from: remote", downloaded);
    }

    [Fact]
    public void An_unreachable_remote_is_one_warning_and_everything_is_computed()
    {
        var (executed, output) = Build(first, null, "--cache-remote", "http://127.0.0.1:9/cache");
        Assert.Equal(["A", "B", "C"], executed);
        Assert.Single(Regex.Matches(output, "Remote cache: "));
        Assert.Contains("Remote cache: cannot reach http://127.0.0.1:9/cache (GET ac/", output);
        Assert.Contains("The build goes on with the local cache only.", output);
    }

    [Theory]
    [InlineData("ftp://host/cache", "--cache-remote: 'ftp://host/cache' is not a remote cache URL; use s3://bucket/prefix, http(s)://host/path or file:///path.")]
    [InlineData("s3:///prefix", "--cache-remote: 's3:///prefix' names no bucket; use s3://bucket/prefix")]
    [InlineData("http://alice:hunter2@cache.example/x", "--cache-remote: the URL carries a user, password or query; credentials in a URL end in logs.")]
    public void A_remote_url_that_cannot_work_fails_the_build_before_anything_runs(string url, string message)
    {
        Trace.Executed.Clear();
        var (code, output) = first.Run<RemoteBuild>("C", "--cache-remote", url);
        Assert.Equal(1, code);
        Assert.Contains(message, output);
        Assert.DoesNotContain("hunter2", output);
        Assert.Empty(Trace.Executed);
    }

    [Theory, RemoteStore("s3")]
    public async Task A_file_larger_than_a_part_goes_up_to_s3_in_parts_and_comes_back_whole(string kind)
    {
        var settings = servers.Ensure(kind);
        var path = scratch.File("large.bin");
        var content = new byte[12 << 20];
        new Random(7).NextBytes(content);
        File.WriteAllBytes(path, content);
        using var store = new S3RemoteStore(RemoteServers.S3Client(settings), RemoteServers.Bucket, Guid.NewGuid().ToString("N"), settings["endpoint"], chunkedEncoding: false) { PartSize = 5 << 20 };

        await store.UploadFileAsync("cas/large", path, default);

        Assert.Equal(content.Length, await store.SizeAsync("cas/large", default));
        using var copy = new MemoryStream();
        Assert.True(await store.DownloadAsync("cas/large", copy, default));
        Assert.Equal(CacheKey.Sha(Convert.ToBase64String(content)), CacheKey.Sha(Convert.ToBase64String(copy.ToArray())));
        Assert.Null(await store.SizeAsync("cas/absent", default));
        Assert.False(await store.DownloadAsync("cas/absent", new MemoryStream(), default));
    }
}
