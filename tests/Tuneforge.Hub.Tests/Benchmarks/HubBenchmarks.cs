using System.Diagnostics;
using Tuneforge.Hub.Download;
using Tuneforge.Hub.Identity;
using Tuneforge.Hub.Sources;
using Tuneforge.Hub.Tests.Fakes;
using Xunit.Abstractions;

namespace Tuneforge.Hub.Tests.Benchmarks;

/// <summary>
/// Download and hashing speed on this machine:
/// <c>TUNEFORGE_BENCH=1 dotnet test tests/Tuneforge.Hub.Tests -c Release --filter FullyQualifiedName~HubBenchmarks --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class HubBenchmarks(ITestOutputHelper output)
{
    private const int WeightBytes = 1 << 30;

    [BenchmarkFact]
    public async Task Download_and_identity_figures()
    {
        await using var test = await HubTestContext.StartAsync();
        var files = Models.SingleFile().Where(f => f.Path != "model.safetensors").Append(Models.Lfs("model.safetensors", WeightBytes, 7)).ToList();
        test.Hub.AddRepo("acme/big").AddCommit(Models.Commit1, files, "main");
        var weights = files.Single(f => f.Path == "model.safetensors");

        // The loopback alone: a GET read and thrown away, no disk and no hash.
        using (var raw = new HttpClient())
        {
            var watch = Stopwatch.StartNew();
            await using var body = await raw.GetStreamAsync($"{test.Hub.CdnAuthority}/lfs/{weights.Sha256}");
            var buffer = new byte[1 << 20];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
                total += read;
            Report("loopback GET only (1 GiB)", total, watch.Elapsed);
        }

        using var client = test.Client();
        var cold = Stopwatch.StartNew();
        var snapshot = await client.DownloadAsync(new HubModelSource("acme/big"));
        Report("cold download into the cache (write + SHA-256)", snapshot.DownloadedBytes, cold.Elapsed);

        var warm = Stopwatch.StartNew();
        await client.DownloadAsync(new HubModelSource("acme/big"));
        output.WriteLine($"second call, main, all cached (1 API request): {warm.Elapsed.TotalMilliseconds:0.0} ms");

        var pinned = Stopwatch.StartNew();
        await client.DownloadAsync(new HubModelSource("acme/big", Models.Commit1));
        output.WriteLine($"second call, pinned commit (no network): {pinned.Elapsed.TotalMilliseconds:0.00} ms");

        var memo = Path.Combine(test.Root, "identity-memo.json");
        var first = Stopwatch.StartNew();
        ModelIdentity.ForLocalFolder(snapshot.Folder, memo);
        Report("local identity, first (hashes every file)", WeightBytes, first.Elapsed);
        var again = Stopwatch.StartNew();
        ModelIdentity.ForLocalFolder(snapshot.Folder, memo);
        output.WriteLine($"local identity, memoized: {again.Elapsed.TotalMilliseconds:0.00} ms");
    }

    private void Report(string what, long bytes, TimeSpan elapsed) =>
        output.WriteLine($"{what}: {bytes / 1e6 / elapsed.TotalSeconds:0} MB/s ({elapsed.TotalSeconds:0.00} s)");
}
