using System.Text.RegularExpressions;
using Tuneforge.Targets;

partial class Build
{
    Target Test => _ => _
        .Description("Runs the test suite (dotnet test, Release)")
        .Executes(async () =>
        {
            var totals = new TestTotals();
            var environment = new Dictionary<string, string> { ["SNAPSHOOTER_STRICT_MODE"] = IsServerBuild ? "true" : "false" };
            var exitCode = await ProcessRunner.RunAsync("dotnet", ["test", "Tuneforge.slnx", "-c", "Release", "--nologo"],
                RootDirectory, line => { totals.Read(line); Log.Information(line); }, environment: environment, cancellation: Cancellation);
            ReportSummary(("passed", totals.Passed.ToString()), ("failed", totals.Failed.ToString()), ("skipped", totals.Skipped.ToString()));
            if (exitCode != 0) throw new BuildException($"dotnet test failed (exit code {exitCode}); the failing tests are listed above.");
        });

    sealed partial class TestTotals
    {
        public int Passed, Failed, Skipped;

        public void Read(string line)
        {
            var match = ResultLine().Match(line);
            if (!match.Success) return;
            Failed += int.Parse(match.Groups["failed"].Value);
            Passed += int.Parse(match.Groups["passed"].Value);
            Skipped += int.Parse(match.Groups["skipped"].Value);
        }

        [GeneratedRegex(@"Failed:\s*(?<failed>\d+),\s*Passed:\s*(?<passed>\d+),\s*Skipped:\s*(?<skipped>\d+)")]
        private static partial Regex ResultLine();
    }
}
