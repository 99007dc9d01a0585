using Tuneforge.Targets;

/// <summary>A cached target that records each real execution and can be made slow, to be killed or raced.</summary>
sealed class FixtureBuild : NukeBuild
{
    public static int Main() => Execute<FixtureBuild>(x => x.Slow);

    [Parameter("Input file of the cached target.")]
    readonly string InputFile = "input.txt";

    [Parameter("Milliseconds the target works before committing.")]
    readonly int DelayMs = 0;

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
}
