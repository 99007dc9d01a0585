using Tuneforge.Targets;

namespace Tuneforge.Targets.Tests;

public class CacheBuild : NukeBuild
{
    [Parameter("Read by Prepare")] readonly string Setting = "a";
    [Parameter("Read by Use only")] readonly string Mode = "m";
    [Parameter("Version of Prepare's code")] readonly string Version = "1";
    [Parameter("Makes Prepare fail after writing")] readonly bool Crash;
    [Parameter("Minimum length Gate accepts")] readonly int MinLength;

    Target Prepare => _ => _
        .Cached(c => c.File("data/input.txt").Value("setting", Setting).Salt($"prepare/{Version}").Publish("artifacts/demo/prepare"))
        .Executes(() =>
        {
            Trace.Executed.Add("Prepare");
            File.WriteAllText(Output(Prepare) / "out.txt", File.ReadAllText(RootDirectory / "data" / "input.txt") + Setting);
            if (Crash) throw new BuildException("crashed half way");
            ReportSummary(("chars", File.ReadAllText(Output(Prepare) / "out.txt").Length.ToString()));
        });

    Target Use => _ => _
        .DependsOn(Prepare)
        .Cached(c => c.Upstream(Prepare).Value("mode", Mode).Directory("data/extra"))
        .Executes(() =>
        {
            Trace.Executed.Add("Use");
            File.WriteAllText(Output(Use) / "result.txt", File.ReadAllText(Output(Prepare) / "out.txt") + Mode);
        })
        .Checks(() =>
        {
            Trace.Executed.Add("Check");
            var length = File.ReadAllText(Output(Use) / "result.txt").Length;
            if (length < MinLength) throw new BuildException($"result has {length} characters, fewer than {MinLength}");
        });
}
