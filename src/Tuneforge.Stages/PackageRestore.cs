using Tuneforge.Targets;

namespace Tuneforge.Stages;

/// <summary>The Restore target's work: the NuGet packages of the solution, and the npm workflow validators the tests
/// run (pinned by the package-lock.json in their folder) when npm is installed.</summary>
public static class PackageRestore
{
    public static async Task RunAsync(string rootDirectory, CancellationToken cancellation)
    {
        await RunTool("dotnet", ["restore", "Tuneforge.slnx"], rootDirectory, cancellation);
        if (!await ToolWorks("npm", rootDirectory, cancellation))
        {
            Log.Warning("npm is not installed: the workflow validation tests will be skipped (see docs/ci.md).");
            return;
        }
        var validators = Path.Combine(rootDirectory, "tests", "Tuneforge.Targets.Tests", "WorkflowValidators");
        await RunTool("npm", ["ci", "--prefix", validators, "--no-audit", "--no-fund", "--loglevel=error"], rootDirectory, cancellation);
    }

    static async Task RunTool(string tool, string[] arguments, string rootDirectory, CancellationToken cancellation)
    {
        var exitCode = await ProcessRunner.RunAsync(tool, arguments, rootDirectory, Log.Information, cancellation: cancellation);
        if (exitCode != 0) throw new BuildException($"{tool} {arguments[0]} failed (exit code {exitCode}); its errors are above.");
    }

    static async Task<bool> ToolWorks(string tool, string rootDirectory, CancellationToken cancellation)
    {
        try
        {
            return await ProcessRunner.RunAsync(tool, ["--version"], rootDirectory, _ => { }, cancellation: cancellation) == 0;
        }
        catch (BuildException)
        {
            return false; // not on PATH
        }
    }
}
