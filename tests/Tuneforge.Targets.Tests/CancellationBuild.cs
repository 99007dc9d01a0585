using Tuneforge.Targets;

namespace Tuneforge.Targets.Tests;

/// <summary>A long-running target stopped by Ctrl-C the way a server is: it ends cleanly.</summary>
public class CancellationBuild : NukeBuild
{
    Target Serve => _ => _.Executes(() =>
    {
        cancellation.Cancel(); // what Ctrl-C does
        Trace.Executed.Add("Serve");
    });

    Target After => _ => _.DependsOn(Serve).Executes(() => Trace.Executed.Add("After"));
}
