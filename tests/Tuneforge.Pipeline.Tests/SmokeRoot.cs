using System.Diagnostics;

namespace Tuneforge.Pipeline.Tests;

/// <summary>A scratch root with pipelines/smoke.yaml, its data and tokenizer, where the real build and engine run
/// (build/bin and the engine's bin of this configuration).</summary>
public sealed class SmokeRoot : IDisposable
{
    public SmokeRoot()
    {
        Directory.CreateDirectory(Path.Combine(Root, ".nuke"));
        Copy("pipelines/smoke.yaml");
        Copy("data/samples/support-zh.jsonl");
        foreach (var file in Directory.GetFiles(Repository.File("data/tokenizers/deepseek-r1")))
            Copy(Path.GetRelativePath(Repository.Root, file));
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "tuneforge-e2e", Guid.NewGuid().ToString("N"));

    static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
    static string BuildDll => Repository.File($"build/bin/{Configuration}/net10.0/_build.dll");
    static string EngineDll => Repository.File($"src/Tuneforge.Engine.Cli/bin/{Configuration}/net10.0/tuneforge-engine.dll");

    public string File(string relative) => Path.Combine(Root, relative);

    /// <summary>Starts <c>_build.dll ARGS --root ROOT --pipeline pipelines/smoke.yaml</c> with its output redirected.</summary>
    public Process Start(params string[] args)
    {
        if (!System.IO.File.Exists(BuildDll) || !System.IO.File.Exists(EngineDll))
            Assert.Fail($"Build the build first (./build.sh, or ./build.sh Test runs this test): {BuildDll} or {EngineDll} is missing.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        string[] arguments = [BuildDll, .. args, "--root", Root, "--pipeline", "pipelines/smoke.yaml"];
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["TUNEFORGE_ENGINE"] = EngineDll;
        start.Environment["CI"] = "true";
        return Process.Start(start)!;
    }

    public (int ExitCode, string Output) Build(params string[] args)
    {
        using var process = Start(args);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    public void Copy(string relative)
    {
        var target = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        System.IO.File.Copy(Repository.File(relative), target);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
