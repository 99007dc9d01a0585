using Tuneforge.Targets;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Tuneforge.Targets.Tests;

/// <summary>A temporary repository root (with .nuke/) and a way to run a build class in it, capturing its output.</summary>
public sealed class TempRoot : IDisposable
{
    public TempRoot()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tuneforge-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(System.IO.Path.Combine(Path, ".nuke"));
    }

    public string Path { get; }

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    public (int ExitCode, string Output) Run<T>(params string[] args) where T : NukeBuild, new() =>
        Run<T>(new Dictionary<string, string>(), args);

    public (int ExitCode, string Output) Run<T>(IReadOnlyDictionary<string, string> environment, params string[] args) where T : NukeBuild, new()
    {
        var output = new StringWriter();
        var code = BuildRunner.Run<T>(args, null, output, environment, Path);
        return (code, output.ToString());
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

/// <summary>What fake targets did, in order.</summary>
public static class Trace
{
    public static List<string> Executed { get; } = [];
}
