using System.Diagnostics;

namespace Tuneforge.Targets.Tests;

/// <summary>The fixture build (tests/Tuneforge.Targets.Fixture) as a real process in a temporary root, and its cache.</summary>
public static class FixtureProcess
{
    static string Dll => Path.Combine(AppContext.BaseDirectory.Replace("Tuneforge.Targets.Tests", "Tuneforge.Targets.Fixture"), "Tuneforge.Targets.Fixture.dll");

    public static Process Start(TempRoot root, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root.Path };
        foreach (var a in new[] { Dll }.Concat(args).Concat(["--root", root.Path])) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    /// <summary>The target's valid entries (not staging, locks or trash).</summary>
    public static string[] Entries(TempRoot root, string target) => Directory.Exists(root.File($".nuke/cache/{target}"))
        ? Directory.GetDirectories(root.File($".nuke/cache/{target}")).Where(d => !Path.GetFileName(d).StartsWith('.')).ToArray()
        : [];
}
