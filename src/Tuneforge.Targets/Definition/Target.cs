namespace Tuneforge.Targets;

/// <summary>A target, declared as a property: <c>Target Train =&gt; _ =&gt; _.DependsOn(Split).Executes(...)</c>.</summary>
public delegate ITargetDefinition Target(ITargetDefinition definition);

/// <summary>What happens to a target's dependencies when the target itself is skipped.</summary>
public enum DependencyBehavior
{
    /// <summary>Dependencies still run (NUKE's default).</summary>
    Execute,

    /// <summary>Dependencies that no other scheduled target needs are skipped too.</summary>
    Skip,
}

public enum ExecutionStatus
{
    NotRun,
    Scheduled,
    Running,
    Skipped,
    Succeeded,
    UpToDate,
    Failed,
    Aborted,
    Collective,
}
