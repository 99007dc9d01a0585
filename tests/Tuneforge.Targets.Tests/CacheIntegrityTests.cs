using System.Text.Json;

namespace Tuneforge.Targets.Tests;

/// <summary>Every entry records its files; a hit checks them (sizes and times, or every hash with --verify-cache), and a
/// damaged entry is reported, moved aside and rebuilt, never served.</summary>
public class CacheIntegrityTests : IDisposable
{
    readonly TempRoot root = new();

    public CacheIntegrityTests()
    {
        Directory.CreateDirectory(root.File("data/extra"));
        File.WriteAllText(root.File("data/input.txt"), "hello");
        File.WriteAllText(root.File("data/extra/notes.txt"), "n1");
    }

    public void Dispose() => root.Dispose();

    (List<string> Executed, string Output) Run(params string[] args)
    {
        Trace.Executed.Clear();
        var (code, output) = root.Run<CacheBuild>(["Use", .. args]);
        Assert.True(code == 0, output);
        return ([.. Trace.Executed], output);
    }

    string Entry(string target) => Directory.GetDirectories(root.File($".nuke/cache/{target}")).Single(d => !Path.GetFileName(d).StartsWith('.'));

    string[] MovedAside(string target) => Directory.GetDirectories(root.File($".nuke/cache/{target}"), ".damaged-*");

    static CacheEntryInfo Info(string entry) => JsonSerializer.Deserialize<CacheEntryInfo>(File.ReadAllText(Path.Combine(entry, CacheEntryInfo.FileName)))!;

    [Fact]
    public void Every_entry_records_each_file_with_its_size_hash_and_time()
    {
        Run();
        var entry = Entry("Prepare");
        var file = Assert.Single(Info(entry).Files!);
        Assert.Equal("out.txt", file.Path);
        Assert.Equal(6, file.Size);
        Assert.Equal(CacheKey.Sha("helloa"), file.Sha256);
        Assert.Equal(new FileInfo(Path.Combine(entry, "out.txt")).LastWriteTimeUtc.Ticks, file.ModifiedTicks);
    }

    [Fact]
    public void A_truncated_file_is_reported_moved_aside_and_rebuilt()
    {
        Run();
        var key = Path.GetFileName(Entry("Prepare"));
        File.WriteAllText(Path.Combine(Entry("Prepare"), "out.txt"), "hel");
        var (executed, output) = Run();
        Assert.Equal(["Prepare", "Check"], executed); // Use's own entry is intact and its key unchanged
        Assert.Contains($"The cache entry of Prepare ({key[..12]}) is damaged: out.txt has 3 bytes, 6 when written (truncated). It was moved aside to ", output);
        Assert.Equal("hel", File.ReadAllText(Path.Combine(Assert.Single(MovedAside("Prepare")), "out.txt")));
        Assert.Equal("helloa", File.ReadAllText(Path.Combine(Entry("Prepare"), "out.txt")));
        Assert.Equal(key, Path.GetFileName(Entry("Prepare")));
        Assert.Equal(["Check"], Run().Executed);
    }

    [Fact]
    public void A_file_rewritten_with_the_same_size_is_caught_by_its_hash()
    {
        Run();
        File.WriteAllText(Path.Combine(Entry("Prepare"), "out.txt"), "HELLOA");
        var (executed, output) = Run();
        Assert.Equal(["Prepare", "Check"], executed);
        Assert.Matches(@"out\.txt has other content than when written \(SHA-256 [0-9a-f]{12}…, recorded [0-9a-f]{12}…\)", output);
        Assert.Equal("helloa", File.ReadAllText(Path.Combine(Entry("Prepare"), "out.txt")));
    }

    [Fact]
    public void Damage_that_keeps_size_and_time_passes_the_cheap_check_and_is_caught_by_verify_cache()
    {
        Run();
        var path = Path.Combine(Entry("Prepare"), "out.txt");
        var time = File.GetLastWriteTimeUtc(path);
        File.WriteAllText(path, "hellob"); // bit rot: same size, and the time put back
        File.SetLastWriteTimeUtc(path, time);
        Assert.Equal(["Check"], Run().Executed);
        var (executed, output) = Run("--verify-cache");
        Assert.Equal(["Prepare", "Check"], executed);
        Assert.Contains("out.txt has other content than when written", output);
    }

    [Fact]
    public void Missing_and_added_files_are_damage()
    {
        Run();
        File.Delete(Path.Combine(Entry("Prepare"), "out.txt"));
        File.WriteAllText(Path.Combine(Entry("Use"), "stray.txt"), "x");
        var (executed, output) = Run();
        Assert.Equal(["Prepare", "Use", "Check"], executed);
        Assert.Contains("is damaged: out.txt is missing.", output);
        Assert.Contains("is damaged: stray.txt was added after the entry was written.", output);
    }

    [Fact]
    public void A_touched_file_is_still_a_hit_and_its_new_time_is_recorded()
    {
        Run();
        var path = Path.Combine(Entry("Prepare"), "out.txt");
        var touched = DateTime.UtcNow.AddMinutes(-3);
        File.SetLastWriteTimeUtc(path, touched);
        Assert.Equal(["Check"], Run().Executed);
        Assert.Equal(touched.Ticks, Info(Entry("Prepare")).Files!.Single().ModifiedTicks);
        Assert.Empty(MovedAside("Prepare"));
    }

    [Fact]
    public void An_entry_without_a_file_manifest_or_with_a_broken_info_file_is_rebuilt()
    {
        Run();
        var prepare = Path.Combine(Entry("Prepare"), CacheEntryInfo.FileName);
        File.WriteAllText(prepare, JsonSerializer.Serialize(Info(Entry("Prepare")) with { Files = null }));
        File.WriteAllText(Path.Combine(Entry("Use"), CacheEntryInfo.FileName), "{\"Target\": \"Use\", ");
        var (executed, output) = Run();
        Assert.Equal(["Prepare", "Use", "Check"], executed);
        Assert.Contains("is damaged: it has no file manifest (written by a build from before entries recorded their files)", output);
        Assert.Contains($"is damaged: its {CacheEntryInfo.FileName} is not valid JSON", output);
    }

    [Fact]
    public void Output_of_a_target_that_did_not_run_refuses_a_damaged_entry()
    {
        Run();
        File.WriteAllText(Path.Combine(Entry("Prepare"), "out.txt"), "x");
        Trace.Executed.Clear();
        var (code, output) = root.Run<CacheBuild>("Use", "--skip", "prepare", "--force", "use");
        Assert.Equal(1, code);
        Assert.Contains($"The cache entry of Prepare ({Path.GetFileName(Entry("Prepare"))[..12]}) is damaged: out.txt has 1 bytes, 6 when written (truncated); run it: ./build.sh Prepare", output);
    }

    [Fact]
    public void Prune_removes_entries_that_were_moved_aside()
    {
        Run();
        File.WriteAllText(Path.Combine(Entry("Prepare"), "out.txt"), "x");
        Run();
        Assert.Single(MovedAside("Prepare"));
        var result = CachePruner.Prune(root.File(".nuke/cache"), keep: 5, new HashSet<string>());
        Assert.Equal(1, result.StagingRemoved);
        Assert.Empty(MovedAside("Prepare"));
    }
}
