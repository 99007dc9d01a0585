using Tuneforge.Targets;

namespace Tuneforge.Targets.Tests;

/// <summary>A → B → C chain, plus ordering, triggers and failure variants used by the planner and executor tests.</summary>
public class ChainBuild : NukeBuild
{
    Target A => _ => _.Description("First").Executes(() => Trace.Executed.Add("A"));
    Target B => _ => _.Description("Second").DependsOn(A).Executes(() => Trace.Executed.Add("B"));
    Target C => _ => _.DependsOn(B).Executes(() => Trace.Executed.Add("C"));
    Target D => _ => _.Executes(() => Trace.Executed.Add("D"));
}

public class OrderingBuild : NukeBuild
{
    Target Compile => _ => _.Executes(() => Trace.Executed.Add("Compile"));
    Target Test => _ => _.After(Compile).Executes(() => Trace.Executed.Add("Test"));
    Target Pack => _ => _.Before(Compile).Executes(() => Trace.Executed.Add("Pack"));
    Target Restore => _ => _.DependentFor(Compile).Executes(() => Trace.Executed.Add("Restore"));
    Target Notify => _ => _.TriggeredBy(Compile).Executes(() => Trace.Executed.Add("Notify"));
    Target Publish => _ => _.Triggers(Notify).Executes(() => Trace.Executed.Add("Publish"));
}

public class CycleBuild : NukeBuild
{
    Target X => _ => _.DependsOn(Z).Executes(() => { });
    Target Y => _ => _.DependsOn(X).Executes(() => { });
    Target Z => _ => _.After(Y).Executes(() => { });
    Target Free => _ => _.Executes(() => { });
}

public class SkipBuild : NukeBuild
{
    Target Shared => _ => _.Executes(() => Trace.Executed.Add("Shared"));
    Target OnlyForB => _ => _.Executes(() => Trace.Executed.Add("OnlyForB"));
    Target B => _ => _.DependsOn(Shared, OnlyForB).Executes(() => Trace.Executed.Add("B"));
    Target Other => _ => _.DependsOn(Shared).Executes(() => Trace.Executed.Add("Other"));
    Target Top => _ => _.DependsOn(B, Other).Executes(() => Trace.Executed.Add("Top"));
}

public class ConditionBuild : NukeBuild
{
    [Parameter("Enables the deploy")] readonly bool Deploy;
    [Parameter("API key")] readonly string? ApiKey;

    Target Prepare => _ => _.Executes(() => Trace.Executed.Add("Prepare"));
    Target Static => _ => _.DependsOn(Prepare).WhenSkipped(DependencyBehavior.Skip).OnlyWhenStatic(() => Deploy).Executes(() => Trace.Executed.Add("Static"));
    Target Dynamic => _ => _.OnlyWhenDynamic(() => Trace.Executed.Count > 10).Executes(() => Trace.Executed.Add("Dynamic"));
    Target Upload => _ => _.Requires(() => ApiKey).Executes(() => Trace.Executed.Add("Upload"));
    Target Guarded => _ => _.Requires(() => Deploy).Executes(() => Trace.Executed.Add("Guarded"));
    Target All => _ => _.DependsOn(Static, Dynamic).Executes(() => Trace.Executed.Add("All"));
}

public class FailureBuild : NukeBuild
{
    Target Fails => _ => _.Executes(() => throw new BuildException("the data file is missing"));
    Target Tolerant => _ => _.ProceedAfterFailure().Executes(() => throw new InvalidOperationException("boom"));
    Target After1 => _ => _.DependsOn(Tolerant).Executes(() => Trace.Executed.Add("After1"));
    Target Next => _ => _.DependsOn(Fails).Executes(() => Trace.Executed.Add("Next"));
    Target Cleanup => _ => _.AssuredAfterFailure().After(Next).Executes(() => Trace.Executed.Add("Cleanup"));
    Target Async => _ => _.Executes(async () => { await Task.Yield(); Trace.Executed.Add("Async"); });
    Target Collective => _ => _.DependsOn(Async);
    Target Hidden => _ => _.Unlisted().Executes(() => { });
}
