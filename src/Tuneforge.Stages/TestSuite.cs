using System.Text.RegularExpressions;
using Tuneforge.Targets;

namespace Tuneforge.Stages;

/// <summary>The Test target's work: <c>dotnet test</c> of the solution in Release, its lines shown as they come, and
/// the totals of every test assembly for the summary (reported also when tests fail).</summary>
public static partial class TestSuite
{
    public static async Task RunAsync(string rootDirectory, bool strictSnapshots, Action<StageSummary> report, CancellationToken cancellation)
    {
        int passed = 0, failed = 0, skipped = 0;
        void Read(string line)
        {
            Log.Information(line);
            var match = ResultLine().Match(line);
            if (!match.Success) return;
            failed += int.Parse(match.Groups["failed"].Value);
            passed += int.Parse(match.Groups["passed"].Value);
            skipped += int.Parse(match.Groups["skipped"].Value);
        }
        // A missing snapshot is created locally, and fails on CI instead of passing silently.
        var environment = new Dictionary<string, string> { ["SNAPSHOOTER_STRICT_MODE"] = strictSnapshots ? "true" : "false" };
        var exitCode = await ProcessRunner.RunAsync("dotnet", ["test", "Tuneforge.slnx", "-c", "Release", "--nologo"], rootDirectory, Read,
            environment: environment, cancellation: cancellation);
        report(StageSummary.Of(("passed", passed.ToString()), ("failed", failed.ToString()), ("skipped", skipped.ToString())));
        if (exitCode != 0) throw new BuildException($"dotnet test failed (exit code {exitCode}); the failing tests are listed above.");
    }

    [GeneratedRegex(@"Failed:\s*(?<failed>\d+),\s*Passed:\s*(?<passed>\d+),\s*Skipped:\s*(?<skipped>\d+)")]
    private static partial Regex ResultLine();
}
