using Tuneforge.Targets;

/// <summary>Cached targets that record each real execution and can be made slow, to be killed, signalled or raced.</summary>
sealed class FixtureBuild : NukeBuild
{
    public static int Main() => Execute<FixtureBuild>(x => x.Slow);

    [Parameter("Input file of the cached target.")]
    readonly string InputFile = "input.txt";

    [Parameter("Milliseconds the target works before committing.")]
    readonly int DelayMs = 0;

    [Parameter("What the Child target runs with bash -c: a long command, one that starts grandchildren or ignores SIGTERM.")]
    readonly string ChildCommand = "true";

    [Parameter("Seconds a cancelled Child's processes get between SIGTERM and SIGKILL.")]
    readonly int StopGraceSeconds = 5;

    Target Slow => _ => _
        .Cached(c => c.File(InputFile).Salt("fixture/1").Publish("artifacts/fixture/slow"))
        .Executes(async () =>
        {
            var output = Output(Slow);
            File.AppendAllText(RootDirectory / "executions.log", $"{Environment.ProcessId}\n");
            await File.WriteAllTextAsync(output / "started", "");
            await Task.Delay(DelayMs, Cancellation);
            await File.WriteAllTextAsync(output / "result.txt", File.ReadAllText(RootDirectory / InputFile).ToUpperInvariant());
            ReportSummary(("chars", File.ReadAllText(RootDirectory / InputFile).Length.ToString()));
        });

    // A cached target whose work is a child process, as Train's is the engine.
    Target Child => _ => _
        .Cached(c => c.File(InputFile).Salt("fixture-child/1").Publish("artifacts/fixture/child"))
        .Executes(async () =>
        {
            var code = await ProcessRunner.RunAsync("bash", ["-c", ChildCommand], RootDirectory, Log.Information,
                cancellation: Cancellation, stopGrace: TimeSpan.FromSeconds(StopGraceSeconds));
            if (code != 0) throw new BuildException($"the child exited with code {code}");
            await File.WriteAllTextAsync(Output(Child) / "result.txt", "done");
        });
}
