using Tuneforge.Hub.Download;
using Tuneforge.Hub.Sources;
using Tuneforge.Hub.Tests.Fakes;

namespace Tuneforge.Hub.Tests.Download;

public sealed class HubResumeAndIntegrityTests
{
    private static FakeFile Weights(HubTestContext test) => test.Hub.Repos["acme/tiny-llm"].Commits[Models.Commit1]["model.safetensors"];

    private static string Blobs(HubTestContext test) => Path.Combine(test.Cache, "models--acme--tiny-llm", "blobs");

    [Fact]
    public async Task A_connection_dropped_mid_file_resumes_with_a_range_request()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        var weights = Weights(test);
        test.Hub.CutOnce[weights.Sha256] = 100_000;
        using var client = test.Client();

        var snapshot = await client.DownloadAsync(new HubModelSource("acme/tiny-llm"));

        var cdn = test.Hub.Seen.Where(r => r.ToCdn).ToList();
        Assert.Equal(2, cdn.Count);
        Assert.Null(cdn[0].Range);
        // The resume point is what reached the client before the cut: at most what the server sent.
        var resumedAt = long.Parse(cdn[1].Range!["bytes=".Length..^1]);
        Assert.InRange(resumedAt, 1, 100_000);
        Assert.Equal(weights.Content, File.ReadAllBytes(Path.Combine(snapshot.Folder, "model.safetensors")));
        var allFiles = test.Hub.Repos["acme/tiny-llm"].Commits[Models.Commit1];
        Assert.Equal(snapshot.Files.Sum(f => (long)allFiles[f].Content.Length), snapshot.DownloadedBytes);
        Assert.Empty(Directory.GetFiles(Blobs(test), "*.incomplete"));
    }

    [Fact]
    public async Task A_body_that_ends_early_is_resumed_from_the_exact_byte()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        var weights = Weights(test);
        test.Hub.EndEarlyOnce[weights.Sha256] = 100_000;
        using var client = test.Client();

        var snapshot = await client.DownloadAsync(new HubModelSource("acme/tiny-llm"));

        Assert.Equal([null, "bytes=100000-"], test.Hub.Seen.Where(r => r.ToCdn).Select(r => r.Range));
        Assert.Equal(weights.Content, File.ReadAllBytes(Path.Combine(snapshot.Folder, "model.safetensors")));
    }

    [Fact]
    public async Task A_partial_file_left_by_an_interrupted_run_is_resumed()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        var weights = Weights(test);
        Directory.CreateDirectory(Blobs(test));
        File.WriteAllBytes(Path.Combine(Blobs(test), weights.Sha256 + ".incomplete"), weights.Content[..120_000]);
        using var client = test.Client();

        var snapshot = await client.DownloadAsync(new HubModelSource("acme/tiny-llm"));

        Assert.Equal("bytes=120000-", Assert.Single(test.Hub.Seen, r => r.ToCdn).Range);
        Assert.Equal(weights.Content, File.ReadAllBytes(Path.Combine(snapshot.Folder, "model.safetensors")));
        var allFiles = test.Hub.Repos["acme/tiny-llm"].Commits[Models.Commit1];
        Assert.Equal(snapshot.Files.Sum(f => (long)allFiles[f].Content.Length) - 120_000, snapshot.DownloadedBytes);
    }

    [Fact]
    public async Task A_sha256_mismatch_names_the_file_and_removes_the_partial_download()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        var weights = Weights(test);
        test.Hub.Corrupt[weights.Sha256] = true;
        using var client = test.Client();

        var error = await Assert.ThrowsAsync<HubException>(() => client.DownloadAsync(new HubModelSource("acme/tiny-llm")));

        var corrupted = (byte[])weights.Content.Clone();
        corrupted[corrupted.Length / 2] ^= 0xFF;
        var actual = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(corrupted));
        Assert.Equal(HubErrorKind.Integrity, error.Kind);
        Assert.Equal(
            $"Downloaded 'model.safetensors' of acme/tiny-llm@{Models.Commit1} is corrupt: its SHA-256 is {actual} but the Hub announced {weights.Sha256}. " +
            "The partial file was removed; run again to download it anew. If it happens again, the server at " +
            $"{test.Hub.CdnAuthority} serves a damaged copy: unset HF_ENDPOINT or try another mirror.",
            error.Message);
        Assert.False(File.Exists(Path.Combine(Blobs(test), weights.Sha256 + ".incomplete")));
        Assert.False(File.Exists(Path.Combine(Blobs(test), weights.Sha256)));
        Assert.False(File.Exists(Path.Combine(test.Cache, "models--acme--tiny-llm", "snapshots", Models.Commit1, "model.safetensors")));
    }

    [Fact]
    public async Task A_git_blob_id_mismatch_of_a_small_file_is_caught_too()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        var tokenizer = test.Hub.Repos["acme/tiny-llm"].Commits[Models.Commit1]["tokenizer.json"];
        test.Hub.Corrupt[tokenizer.GitOid] = true;
        using var client = test.Client();

        var error = await Assert.ThrowsAsync<HubException>(() => client.DownloadAsync(new HubModelSource("acme/tiny-llm")));

        Assert.Equal(HubErrorKind.Integrity, error.Kind);
        Assert.StartsWith($"Downloaded 'tokenizer.json' of acme/tiny-llm@{Models.Commit1} is corrupt: its git blob id is ", error.Message);
        Assert.Contains($"but the Hub announced {tokenizer.GitOid}. The partial file was removed;", error.Message);
        Assert.False(File.Exists(Path.Combine(Blobs(test), tokenizer.GitOid + ".incomplete")));
    }

    [Fact]
    public async Task A_size_mismatch_names_the_file_and_removes_the_partial_download()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        var weights = Weights(test);
        test.Hub.Oversize[weights.Sha256] = true;
        using var client = test.Client();

        var error = await Assert.ThrowsAsync<HubException>(() => client.DownloadAsync(new HubModelSource("acme/tiny-llm")));

        Assert.Equal(HubErrorKind.Integrity, error.Kind);
        Assert.StartsWith(
            $"Downloaded 'model.safetensors' of acme/tiny-llm@{Models.Commit1} is corrupt: it has 300003 bytes but the Hub announced 300000. The partial file was removed;",
            error.Message);
        Assert.False(File.Exists(Path.Combine(Blobs(test), weights.Sha256 + ".incomplete")));
    }

    [Fact]
    public async Task Server_errors_are_retried_with_backoff()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        test.Hub.FailuresLeft = 3;
        using var client = test.Client();

        var snapshot = await client.DownloadAsync(new HubModelSource("acme/tiny-llm"));

        Assert.Equal(6, snapshot.DownloadedFiles);
        Assert.Equal(4, test.Hub.Seen.Count(r => r.Target.StartsWith("/api/models/")));
    }

    [Fact]
    public async Task Server_errors_past_the_retries_fail_naming_the_status_and_a_mirror()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        test.Hub.FailuresLeft = 1000;
        using var client = test.Client();

        var error = await Assert.ThrowsAsync<HubException>(() => client.DownloadAsync(new HubModelSource("acme/tiny-llm")));

        Assert.Equal(HubErrorKind.Server, error.Kind);
        Assert.Equal(
            $"The server at {test.Hub.Endpoint} kept answering HTTP 503 (Service Unavailable) while resolving hf://acme/tiny-llm@main. " +
            "Try again later; if it persists, set HF_ENDPOINT to a mirror (for example HF_ENDPOINT=https://hf-mirror.com). (tried 5 times)",
            error.Message);
        Assert.Equal(5, test.Hub.Seen.Count);
    }

    [Fact]
    public async Task A_full_disk_names_the_file_and_keeps_the_partial_download_for_resuming()
    {
        if (!OperatingSystem.IsLinux())
            return; // Writes to /dev/full fail with ENOSPC on Linux only.
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        var weights = Weights(test);
        Directory.CreateDirectory(Blobs(test));
        var incomplete = Path.Combine(Blobs(test), weights.Sha256 + ".incomplete");
        File.CreateSymbolicLink(incomplete, "/dev/full");
        using var client = test.Client();

        var error = await Assert.ThrowsAsync<HubException>(() => client.DownloadAsync(new HubModelSource("acme/tiny-llm")));

        Assert.Equal(HubErrorKind.DiskFull, error.Kind);
        Assert.Equal(
            $"The disk is full: writing 'model.safetensors' of acme/tiny-llm into {Blobs(test)} failed after 0 of 300000 bytes. " +
            "Free at least 300.0 KB or point HF_HUB_CACHE at a larger disk; the partial download is kept and resumes on the next run.",
            error.Message);
        Assert.Equal("/dev/full", new FileInfo(incomplete).LinkTarget);
    }

    [Fact]
    public async Task Too_little_free_space_fails_before_downloading()
    {
        await using var test = await HubTestContext.StartAsync();
        test.AddSingleFileRepo();
        using var client = test.Client(options: HubTestContext.FastOptions with { FreeSpaceProbe = _ => 1_000 });

        var error = await Assert.ThrowsAsync<HubException>(() => client.DownloadAsync(new HubModelSource("acme/tiny-llm")));

        Assert.Equal(HubErrorKind.DiskFull, error.Kind);
        Assert.Equal(
            "Not enough disk space for 'tokenizer.json' of acme/tiny-llm: it needs 40.0 KB more, " +
            $"but the disk of {test.Cache} has 1.0 KB free. Free some space or point HF_HUB_CACHE at a larger disk.",
            error.Message);
        Assert.DoesNotContain(test.Hub.Seen, r => r.ToCdn || (r.Method == "GET" && r.Target.EndsWith("/tokenizer.json")));
    }
}
