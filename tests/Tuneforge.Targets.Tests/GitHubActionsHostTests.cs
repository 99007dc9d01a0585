namespace Tuneforge.Targets.Tests;

public class GitHubActionsHostTests : IDisposable
{
    readonly TempRoot root = new();
    readonly Dictionary<string, string> actions;

    public GitHubActionsHostTests()
    {
        Trace.Executed.Clear();
        actions = new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["CI"] = "true",
            ["GITHUB_WORKSPACE"] = root.Path,
            ["GITHUB_STEP_SUMMARY"] = root.File("step-summary.md"),
        };
    }

    public void Dispose()
    {
        Log.Host = new TerminalHost();
        root.Dispose();
    }

    string Summary => File.ReadAllText(root.File("step-summary.md"));

    [Fact]
    public void The_host_is_chosen_by_GITHUB_ACTIONS()
    {
        Assert.IsType<GitHubActionsHost>(BuildRunner.HostFactory(actions));
        Assert.IsType<TerminalHost>(BuildRunner.HostFactory(new Dictionary<string, string> { ["CI"] = "true" }));
        Assert.IsType<TerminalHost>(BuildRunner.HostFactory(new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "false" }));
    }

    [Fact]
    public void Each_target_log_is_a_collapsible_group()
    {
        var (code, output) = root.Run<ChainBuild>(actions, "B");
        Assert.Equal(0, code);
        var lines = output.Replace("\r", "").Split('\n');
        var groupA = Array.IndexOf(lines, "::group::A");
        var groupB = Array.IndexOf(lines, "::group::B");
        Assert.True(groupA >= 0 && groupB > groupA, output);
        Assert.Equal("::endgroup::", lines[groupA + 1]);
        Assert.DoesNotContain("╬", output);
    }

    [Fact]
    public void Errors_become_annotations_and_a_failed_build_is_summarized()
    {
        var (code, output) = root.Run<FailureBuild>(actions, "Next");
        Assert.Equal(1, code);
        Assert.Contains("::error::Target Fails failed: the data file is missing", output);
        Assert.Contains("### ❌ `./build.sh Next`", Summary);
        Assert.Contains("| Fails | Failed | < 1sec | error: the data file is missing |", Summary);
        Assert.Contains("| Next | NotRun |  |  |", Summary);
    }

    [Fact]
    public void The_job_summary_gets_the_summary_table_and_what_targets_append()
    {
        var (code, _) = root.Run<SummaryBuild>(actions, "Evaluate", "--verbosity", "quiet");
        Assert.Equal(0, code);
        var summary = Summary;
        Assert.StartsWith("## Metrics: base vs tuned\n\n| metric | base | tuned |\n", summary);
        Assert.Contains("### ✅ `./build.sh Evaluate --verbosity quiet`\n\n| Target | Status | Duration | |\n|:--|:--|--:|:--|\n", summary);
        Assert.Contains("| Evaluate | Succeeded | < 1sec | rougeL: 0.41 \\| 0.29 |", summary);
        Assert.Matches(@"Build succeeded on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\n\n$", summary);
    }

    [Fact]
    public void A_build_that_stops_before_its_targets_says_why_in_the_job_summary()
    {
        var (code, output) = root.Run<ChainBuild>(actions, "Trian");
        Assert.Equal(1, code);
        Assert.Contains("::error::Target 'Trian' does not exist. Available targets are:%0A  - A%0A", output);
        Assert.StartsWith("### ❌ `./build.sh Trian`\n\n```text\nTarget 'Trian' does not exist. Available targets are:\n  - A\n", Summary);
    }

    [Fact]
    public void Append_summary_does_nothing_outside_actions()
    {
        var (code, _) = root.Run<SummaryBuild>(new Dictionary<string, string>(), "Evaluate");
        Assert.Equal(0, code);
        Assert.False(File.Exists(root.File("step-summary.md")));
        Assert.False(GitHubActions.IsRunning);
    }

    [Fact]
    public void Annotations_point_at_a_workspace_relative_file_and_line()
    {
        var host = new GitHubActionsHost(actions);
        Assert.Equal("::error file=data/train.jsonl,line=12::record 12: 'output' is missing",
            host.FormatError("record 12: 'output' is missing", Path.Combine(root.Path, "data", "train.jsonl"), 12));
        Assert.Equal("::error file=pipelines/a%2Cb.yaml::bad", host.FormatError("bad", "pipelines/a,b.yaml", null));
        Assert.Equal("::warning::50%25 of records dropped%0Asee rejects.jsonl", host.FormatWarning("50% of records dropped\nsee rejects.jsonl"));
    }

    [Fact]
    public void A_position_written_in_the_message_is_used_when_the_file_exists()
    {
        Directory.CreateDirectory(root.File("pipelines"));
        File.WriteAllText(root.File("pipelines/default.yaml"), "train:\n  lr: 1\n");
        var host = new GitHubActionsHost(actions);
        Assert.Equal("::error file=pipelines/default.yaml,line=2,col=3::pipelines/default.yaml:2:3: unknown key 'lr'. Did you mean 'learning_rate'?",
            host.FormatError("pipelines/default.yaml:2:3: unknown key 'lr'. Did you mean 'learning_rate'?", null, null));
        Assert.Equal("::error file=pipelines/default.yaml,line=2::Target Train failed: pipelines/default.yaml:2: bad",
            host.FormatError("Target Train failed: pipelines/default.yaml:2: bad", null, null));
        Assert.Equal("::error::pipelines/missing.yaml:2: bad", host.FormatError("pipelines/missing.yaml:2: bad", null, null));
    }

    [Fact]
    public void Without_a_summary_file_the_summary_is_skipped()
    {
        actions.Remove("GITHUB_STEP_SUMMARY");
        var (code, _) = root.Run<ChainBuild>(actions, "A");
        Assert.Equal(0, code);
    }

    [Fact]
    public void Markdown_cells_escape_pipes_and_line_breaks()
    {
        var text = JobSummary.Render("./build.sh A", [new SummaryTable.Row("A", "Failed", "0:03", "error: a | b\nc")], false,
            new DateTimeOffset(2026, 11, 27, 10, 30, 0, TimeSpan.Zero), TimeSpan.FromSeconds(3));
        Assert.Equal("""
            ### ❌ `./build.sh A`

            | Target | Status | Duration | |
            |:--|:--|--:|:--|
            | A | Failed | 0:03 | error: a \| b<br>c |
            | **Total** | | **0:03** | |

            Build failed on 2026-11-27 10:30:00.

            """.Replace("\r", ""), text);
    }
}

/// <summary>An Evaluate that adds its metrics to the job summary, as the real one does.</summary>
public class SummaryBuild : NukeBuild
{
    Target Evaluate => _ => _.Executes(() =>
    {
        GitHubActions.AppendSummary("## Metrics: base vs tuned\n\n| metric | base | tuned |\n|--|--|--|\n| rougeL | 0.29 | 0.41 |");
        ReportSummary(("rougeL", "0.41 | 0.29"));
    });
}
