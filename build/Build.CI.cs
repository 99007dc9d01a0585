using Tuneforge.Targets;

partial class Build
{
    // The workflow validators the tests run (pinned by the package-lock.json there).
    AbsolutePath WorkflowValidatorsDirectory => RootDirectory / "tests" / "Tuneforge.Targets.Tests" / "WorkflowValidators";

    Target Restore => _ => _
        .Description("Restores the NuGet packages, and the npm workflow validators when npm is installed (a CI step of its own)")
        .Executes(async () =>
        {
            await RunTool("dotnet", ["restore", "Tuneforge.slnx"]);
            if (!await ToolWorks("npm"))
            {
                Log.Warning("npm is not installed: the workflow validation tests will be skipped (see docs/ci.md).");
                return;
            }
            await RunTool("npm", ["ci", "--prefix", WorkflowValidatorsDirectory, "--no-audit", "--no-fund", "--loglevel=error"]);
        });

    async Task RunTool(string tool, string[] arguments)
    {
        var exitCode = await ProcessRunner.RunAsync(tool, arguments, RootDirectory, Log.Information, cancellation: Cancellation);
        if (exitCode != 0) throw new BuildException($"{tool} {arguments[0]} failed (exit code {exitCode}); its errors are above.");
    }

    async Task<bool> ToolWorks(string tool)
    {
        try
        {
            return await ProcessRunner.RunAsync(tool, ["--version"], RootDirectory, _ => { }, cancellation: Cancellation) == 0;
        }
        catch (BuildException)
        {
            return false; // not on PATH
        }
    }
}
