using Snapshooter.Xunit;

namespace Tuneforge.Targets.Tests;

public class OutputSnapshotTests : IDisposable
{
    readonly TempRoot root = new();

    public OutputSnapshotTests() => Trace.Executed.Clear();

    public void Dispose() => root.Dispose();

    [Fact]
    public void Help_lists_targets_with_dependencies_and_descriptions_then_parameters()
    {
        var (code, output) = root.Run<ChainBuild>("--help");
        Assert.Equal(0, code);
        Snapshot.Match(output.Replace("\r", ""));
    }

    [Fact]
    public void Build_schema_lists_parameters_and_targets()
    {
        root.Run<ChainBuild>("--help");
        Snapshot.Match(File.ReadAllText(root.File(".nuke/build.schema.json")));
    }

    [Fact]
    public void Summary_table_shows_status_duration_and_reported_information()
    {
        SummaryTable.Row[] rows =
        [
            new("Clean", "Succeeded", SummaryTable.FormatDuration(TimeSpan.FromSeconds(75)), "kept: 812, rejected: 37"),
            new("Train", "UpToDate", SummaryTable.FormatDuration(TimeSpan.FromMilliseconds(20)), "key: 3f2a9c01b7de, loss: 1.84"),
            new("Evaluate", "Failed", SummaryTable.FormatDuration(TimeSpan.FromSeconds(3)), "error: gate rougeL >= 0.30 failed (0.21)"),
            new("Package", "NotRun", "", ""),
        ];
        var text = SummaryTable.Render(rows, succeeded: false, new DateTimeOffset(2026, 11, 27, 10, 30, 0, TimeSpan.Zero), TimeSpan.FromSeconds(80));
        Snapshot.Match(text.Replace("\r", ""));
    }

    [Fact]
    public void A_real_build_ends_with_the_summary_and_its_outcome()
    {
        var (code, output) = root.Run<ChainBuild>("B");
        Assert.Equal(0, code);
        Assert.Matches(@"A\s+Succeeded\s+< 1sec", output);
        Assert.Matches(@"Build succeeded on \d{4}-\d\d-\d\d", output);
    }
}
