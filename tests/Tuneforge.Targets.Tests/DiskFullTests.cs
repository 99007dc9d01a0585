using System.Diagnostics;

namespace Tuneforge.Targets.Tests;

/// <summary>A real build process that runs out of space while writing an entry (a file size limit, <c>ulimit -f</c>):
/// the target fails with a clear message and every entry already in the store is kept.</summary>
public class DiskFullTests : IDisposable
{
    readonly TempRoot root = new();

    public void Dispose() => root.Dispose();

    static string FixtureDll => Path.Combine(AppContext.BaseDirectory.Replace("Tuneforge.Targets.Tests", "Tuneforge.Targets.Fixture"), "Tuneforge.Targets.Fixture.dll");

    // SIGXFSZ ignored so that writes past the limit fail with EFBIG instead of killing the process; .NET's W^X double
    // mapping creates a file larger than any small limit at startup, so it is off for this process.
    (int ExitCode, string Output) Build(int? fileSizeLimitKiB, params string[] args)
    {
        var command = $"{(fileSizeLimitKiB is { } limit ? $"trap '' XFSZ; ulimit -f {limit}; " : "")}exec dotnet \"$@\"";
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root.Path };
        foreach (var a in new[] { "-c", command, "bash", FixtureDll, "--root", root.Path }.Concat(args)) start.ArgumentList.Add(a);
        start.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "the fixture build did not finish in 120 s");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    string[] Entries() => Directory.GetDirectories(root.File(".nuke/cache/Slow")).Where(d => !Path.GetFileName(d).StartsWith('.')).Order().ToArray();

    [Fact]
    public void A_forced_rerun_that_hits_the_file_size_limit_fails_cleanly_and_keeps_every_entry()
    {
        File.WriteAllText(root.File("input.txt"), new string('a', 1 << 20));
        File.WriteAllText(root.File("other.txt"), "xyz");
        Assert.Equal(0, Build(null).ExitCode);
        Assert.Equal(0, Build(null, "--input-file", "other.txt").ExitCode);
        var before = Entries().ToDictionary(e => e, e => Directory.EnumerateFiles(e, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes));
        Assert.Equal(2, before.Count);

        var (code, output) = Build(256, "--force", "slow");

        Assert.Equal(1, code);
        Assert.Contains("Target Slow failed: Slow ran out of disk space while writing its output (the disk is full, or a quota or file size limit was reached): " +
                        "Specified file length was too large for the file system. (Parameter 'value'). Nothing was committed: the entries already in .nuke/cache are kept.", output);
        Assert.DoesNotContain("   at ", output); // no stack trace for the user
        Assert.Equal(before.Keys, Entries());
        foreach (var (entry, files) in before)
            foreach (var (file, content) in files) Assert.Equal(content, File.ReadAllBytes(file));
        Assert.Empty(Directory.GetDirectories(root.File(".nuke/cache/Slow"), ".staging-*")); // its space is given back

        var (again, rerun) = Build(null);
        Assert.Equal(0, again);
        Assert.Contains("Up to date: Slow", rerun);
        Assert.Equal(new string('A', 1 << 20), File.ReadAllText(root.File("artifacts/fixture/slow/result.txt")));
    }

    [Fact]
    public void A_full_disk_is_told_apart_from_other_write_errors()
    {
        var full = Record.Exception(() => File.WriteAllBytes("/dev/full", new byte[10])); // ENOSPC on every write
        Assert.True(DiskFull.Is(full), full?.ToString());
        Assert.True(DiskFull.Is(new BuildException("wrapped", full)));
        Assert.False(DiskFull.Is(Record.Exception(() => File.ReadAllBytes(root.File("absent.txt")))));
        Assert.False(DiskFull.Is(new IOException("sharing violation")));
    }
}
