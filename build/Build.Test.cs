using Tuneforge.Stages;
using Tuneforge.Targets;

partial class Build
{
    Target Test => _ => _
        .Description("Runs the test suite (dotnet test, Release)")
        .Executes(() => TestSuite.RunAsync(RootDirectory, IsServerBuild, summary => ReportSummary(summary.ToArray()), Cancellation));
}
