namespace Tuneforge.Targets.Tests;

public class CacheTests : IDisposable
{
    readonly TempRoot root = new();

    public CacheTests()
    {
        Trace.Executed.Clear();
        Directory.CreateDirectory(root.File("data/extra"));
        File.WriteAllText(root.File("data/input.txt"), "hello");
        File.WriteAllText(root.File("data/extra/notes.txt"), "n1");
    }

    public void Dispose() => root.Dispose();

    List<string> Run(params string[] args)
    {
        Trace.Executed.Clear();
        var (code, output) = root.Run<CacheBuild>(["Use", .. args]);
        Assert.True(code == 0, output);
        LastOutput = output;
        return [.. Trace.Executed];
    }

    string LastOutput = "";

    [Fact]
    public void A_second_run_is_served_from_the_cache_with_key_and_summary()
    {
        Assert.Equal(["Prepare", "Use", "Check"], Run());
        Assert.Equal(["Check"], Run());
        Assert.Matches(@"Prepare\s+UpToDate\s+< 1sec\s+// key: [0-9a-f]{12}, chars: 6", LastOutput);
        Assert.Matches(@"Use\s+UpToDate", LastOutput);
        Assert.Equal("hello" + "a" + "m", File.ReadAllText(root.File("artifacts/demo/prepare/../../../.nuke/cache/Use/" + OnlyEntry("Use") + "/result.txt")));
    }

    [Fact]
    public void The_published_view_points_at_the_current_entry()
    {
        Run();
        Assert.Equal("helloa", File.ReadAllText(root.File("artifacts/demo/prepare/out.txt")));
        Run("--setting", "b");
        Assert.Equal("hellob", File.ReadAllText(root.File("artifacts/demo/prepare/out.txt")));
    }

    [Fact]
    public void Each_kind_of_input_change_misses()
    {
        Run();
        File.WriteAllText(root.File("data/input.txt"), "HELLO");
        Assert.Equal(["Prepare", "Use", "Check"], Run()); // file content
        Assert.Equal(["Prepare", "Use", "Check"], Run("--setting", "z")); // value
        Assert.Equal(["Prepare", "Use", "Check"], Run("--setting", "z", "--version", "2")); // salt
        Assert.Equal(["Use", "Check"], Run("--setting", "z", "--version", "2", "--mode", "q")); // downstream value only
        File.WriteAllText(root.File("data/extra/more.txt"), "n2");
        Assert.Equal(["Use", "Check"], Run("--setting", "z", "--version", "2", "--mode", "q")); // folder content
    }

    [Fact]
    public void A_file_touched_without_a_content_change_still_hits()
    {
        Run();
        File.SetLastWriteTimeUtc(root.File("data/input.txt"), DateTime.UtcNow.AddMinutes(5));
        Assert.Equal(["Check"], Run());
    }

    [Fact]
    public void Switching_back_to_an_earlier_configuration_reuses_its_entry()
    {
        Run("--setting", "a");
        Run("--setting", "b");
        Assert.Equal(["Check"], Run("--setting", "a"));
    }

    [Fact]
    public void Force_and_no_cache_rerun_and_replace_entries()
    {
        Run();
        Assert.Equal(["Use", "Check"], Run("--force", "use"));
        Assert.Equal(["Prepare", "Use", "Check"], Run("--no-cache"));
        Assert.Single(Directory.GetDirectories(root.File(".nuke/cache/Prepare")).Where(d => !Path.GetFileName(d).StartsWith('.')));
    }

    [Fact]
    public void A_failed_run_leaves_no_valid_entry()
    {
        var (code, _) = root.Run<CacheBuild>("Use", "--crash");
        Assert.Equal(1, code);
        Assert.Empty(Directory.GetDirectories(root.File(".nuke/cache/Prepare")).Where(d => !Path.GetFileName(d).StartsWith('.')));
        Assert.Equal(["Prepare", "Use", "Check"], Run());
    }

    [Fact]
    public void Checks_run_again_on_a_hit_and_can_fail_it()
    {
        Run();
        Trace.Executed.Clear();
        var (code, output) = root.Run<CacheBuild>("Use", "--min-length", "100");
        Assert.Equal(1, code);
        Assert.Equal(["Check"], Trace.Executed);
        Assert.Contains("result has 7 characters, fewer than 100", output);
    }

    [Fact]
    public void Prune_keeps_the_newest_entries_and_published_ones()
    {
        foreach (var setting in new[] { "a", "b", "c", "d" }) Run("--setting", setting);
        var protectedEntry = Path.GetFullPath(new FileInfo(root.File("artifacts/demo/prepare")).LinkTarget!, root.File("artifacts/demo"));
        var published = PublishedEntries.Under(root.File("artifacts"));
        Assert.Contains(protectedEntry, published);
        var result = CachePruner.Prune(root.File(".nuke/cache"), keep: 2, published);
        Assert.Equal(4, result.EntriesRemoved); // two old Prepare and two old Use entries
        Assert.Equal(2, Directory.GetDirectories(root.File(".nuke/cache/Prepare")).Count(d => !Path.GetFileName(d).StartsWith('.')));
        Assert.Equal(["Check"], Run("--setting", "d"));
    }

    string OnlyEntry(string target) => Path.GetFileName(Directory.GetDirectories(root.File($".nuke/cache/{target}")).Single(d => !Path.GetFileName(d).StartsWith('.')));
}
